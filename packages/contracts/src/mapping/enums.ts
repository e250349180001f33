import type { ListKind as ListKindName } from '@coord/events/responsibility'
import { ListKind } from '../gen/coord/v1/common_pb.ts'
import { enumMap } from './codec.ts'

export const listKind = enumMap<ListKindName, ListKind>('list kind', {
  power: ListKind.POWER,
  responsibility: ListKind.RESPONSIBILITY,
})
