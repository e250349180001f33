import type { BureauKind, ResponsibilityEvent } from '@coord/events/responsibility'
import {
  BureauDissolvedSchema,
  BureauKind as BureauKindEnum,
  BureauRegisteredSchema,
  BureauRenamedSchema,
  BureauSplitSchema,
  BureausMergedSchema,
  DutyAddedSchema,
  DutyAmendedSchema,
  DutyReceivedSchema,
  DutyRevokedSchema,
  DutyTransferredSchema,
  ResponsibilityListPublishedSchema,
  type Duty as DutyMessage,
} from '../gen/coord/v1/responsibility_events_pb.ts'
import { codec, enumMap, optional, type CodecTable } from './codec.ts'
import { listKind } from './enums.ts'

/**
 * Responsibility events bureaus never receive, and why. `fromMessage` and `toMessage` treat them
 * as outside the contract; a test keeps this list and the catalogue in step.
 */
export const responsibilityExclusions = {
  BureauRenameDecided:
    "the reorganisation's record of a rename it decided; the bureau's own stream then records " +
    'BureauRenamed with the reorganisation id, which is what bureaus receive',
  ReorganisationCompleted:
    "the reorganisation process manager's bookkeeping (steps applied, internal error codes of " +
    'refused steps); bureaus see the outcome as the assignments, transfers and renames themselves',
} as const

type Excluded = keyof typeof responsibilityExclusions

const bureauKind = enumMap<BureauKind, BureauKindEnum>('bureau kind', {
  委办局: BureauKindEnum.DEPARTMENT,
  街镇: BureauKindEnum.SUBDISTRICT_OR_TOWN,
  开发区管委会: BureauKindEnum.DEVELOPMENT_ZONE_COMMITTEE,
  直属公司: BureauKindEnum.AFFILIATED_COMPANY,
})

const duty = ({ dutyId, title, category, legalBasis }: Omit<DutyMessage, '$typeName'>) => ({
  dutyId,
  title,
  category,
  legalBasis,
})

// DutyAdded and DutyAmended carry the same fields: the duty whole, when and why.
const dutyChange = (message: Omit<DutyMessage, '$typeName'> & { effectiveDate: string; reason: string }) => ({
  ...duty(message),
  effectiveDate: message.effectiveDate,
  reason: message.reason,
})

export const responsibilityCodecs: CodecTable<ResponsibilityEvent, Excluded> = {
  BureauRegistered: codec(
    BureauRegisteredSchema,
    (data) => ({ ...data, kind: bureauKind.toProto(data.kind), parentId: data.parentId ?? undefined }),
    (message) => ({
      bureauId: message.bureauId,
      nameZh: message.nameZh,
      nameEn: message.nameEn,
      shortName: message.shortName,
      kind: bureauKind.fromProto(message.kind),
      parentId: message.parentId ?? null,
      effectiveDate: message.effectiveDate,
    }),
  ),
  BureauRenamed: codec(
    BureauRenamedSchema,
    (data) => data,
    (message) => ({
      nameZh: message.nameZh,
      nameEn: message.nameEn,
      shortName: message.shortName,
      effectiveDate: message.effectiveDate,
      reason: message.reason,
      ...optional('reorganisationId', message.reorganisationId),
    }),
  ),
  BureauDissolved: codec(
    BureauDissolvedSchema,
    (data) => data,
    ({ reorganisationId, successorIds, effectiveDate, reason }) => ({
      reorganisationId,
      successorIds: [...successorIds],
      effectiveDate,
      reason,
    }),
  ),
  ResponsibilityListPublished: codec(
    ResponsibilityListPublishedSchema,
    (data) => ({ ...data, listKind: listKind.toProto(data.listKind) }),
    (message) => ({
      bureauId: message.bureauId,
      listKind: listKind.fromProto(message.listKind),
      version: message.version,
      effectiveDate: message.effectiveDate,
      reason: message.reason,
      duties: message.duties.map(duty),
    }),
  ),
  DutyAdded: codec(DutyAddedSchema, (data) => data, dutyChange),
  DutyAmended: codec(DutyAmendedSchema, (data) => data, dutyChange),
  DutyRevoked: codec(
    DutyRevokedSchema,
    (data) => data,
    ({ dutyId, effectiveDate, reason }) => ({ dutyId, effectiveDate, reason }),
  ),
  DutyTransferred: codec(
    DutyTransferredSchema,
    (data) => data,
    (message) => ({
      dutyId: message.dutyId,
      fromBureauId: message.fromBureauId,
      toBureauId: message.toBureauId,
      effectiveDate: message.effectiveDate,
      reason: message.reason,
      ...optional('reorganisationId', message.reorganisationId),
    }),
  ),
  DutyReceived: codec(
    DutyReceivedSchema,
    (data) => ({ ...data, listKind: listKind.toProto(data.listKind) }),
    (message) => ({
      dutyId: message.dutyId,
      duty: {
        title: message.duty?.title ?? '',
        category: message.duty?.category ?? '',
        legalBasis: message.duty?.legalBasis ?? '',
      },
      fromBureauId: message.fromBureauId,
      toBureauId: message.toBureauId,
      listKind: listKind.fromProto(message.listKind),
      effectiveDate: message.effectiveDate,
      reason: message.reason,
      ...optional('reorganisationId', message.reorganisationId),
    }),
  ),
  BureausMerged: codec(
    BureausMergedSchema,
    (data) => data,
    (message) => ({
      reorganisationId: message.reorganisationId,
      fromBureauIds: [...message.fromBureauIds],
      intoBureauId: message.intoBureauId,
      effectiveDate: message.effectiveDate,
      reason: message.reason,
    }),
  ),
  BureauSplit: codec(
    BureauSplitSchema,
    (data) => data,
    (message) => ({
      reorganisationId: message.reorganisationId,
      fromBureauId: message.fromBureauId,
      intoBureauIds: [...message.intoBureauIds],
      dutyAllocation: { ...message.dutyAllocation },
      taskAllocation: { ...message.taskAllocation },
      effectiveDate: message.effectiveDate,
      reason: message.reason,
    }),
  ),
}
