import { readFileSync } from 'node:fs'
import t from 'tap'
import { detectKind, parsePlan, type ParsedPlan, type PlanKind } from '../src/index.ts'

// Whole documents of each genre, written for these tests, with every field of the result pinned.

const read = (name: string): string => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')

const cases: { name: string; behaviour: string; kind: PlanKind; expected: ParsedPlan }[] = [
  {
    name: 'implementation-plan.txt',
    behaviour: 'an implementation plan with （一） headings and 牵头单位： lines reads completely',
    kind: 'plan',
    expected: {
      title: '浦东新区知识产权保护体系建设实施方案（2022—2025年）',
      docNumber: '浦知局〔2022〕12号',
      issuer: '上海市浦东新区知识产权局、上海市浦东新区市场监督管理局',
      issueDate: '2022-03-15',
      period: '2022-2025',
      sections: [
        { ordinal: '一', title: '总体要求' },
        { ordinal: '二', title: '主要目标' },
        { ordinal: '三', title: '重点任务' },
        { ordinal: '四', title: '保障措施' },
      ],
      targets: [
        {
          text: '知识产权保护社会满意度达到85分以上',
          metric: '知识产权保护社会满意度',
          value: 85,
          unit: '分',
          deadline: '2025',
        },
        {
          text: '知识产权纠纷调解成功率从2020年的60%提高到80%',
          metric: '知识产权纠纷调解成功率',
          value: 80,
          unit: '%',
          deadline: '2025',
        },
        {
          text: '累计培育知识产权保护示范企业100家以上',
          metric: '知识产权保护示范企业',
          value: 100,
          unit: '家',
          deadline: '2025',
        },
        {
          text: '建成知识产权快速维权分中心3个',
          metric: '知识产权快速维权分中心',
          value: 3,
          unit: '个',
          deadline: '2023',
        },
        {
          text: '知识产权质押融资额突破50亿元',
          metric: '知识产权质押融资额',
          value: 50,
          unit: '亿元',
          deadline: '2025',
        },
      ],
      tasks: [
        {
          id: '三.(一).1',
          title: '健全知识产权行政执法协作机制',
          leads: ['区市场监管局'],
          partners: ['区知识产权局', '区公安分局', '各街镇'],
        },
        {
          id: '三.(一).2',
          title: '加强重点领域执法',
          leads: ['区科技和经济委员会（区知识产权局）'],
          partners: ['区商务委', '区文体旅游局'],
        },
        {
          id: '三.(二).3',
          title: '推进行政执法与刑事司法衔接',
          leads: ['区司法局'],
          partners: ['区市场监管局', '区人民法院'],
        },
        {
          id: '三.(二).4',
          title: '探索建立技术调查官制度，为复杂案件提供技术支撑',
          leads: ['区知识产权局'],
          partners: ['区人民法院', '区人民检察院'],
        },
        {
          id: '三.(三)',
          title: '加强知识产权保护宣传',
          leads: ['区委宣传部'],
          partners: ['区教育局', '各街镇'],
        },
      ],
      taskCount: 5,
      safeguards: ['加强组织领导', '强化经费保障', '严格督查考核'],
    },
  },
  {
    name: 'action-plan-prose.txt',
    behaviour:
      'an action plan with prose responsibilities and a doc number glued to its title reads completely',
    kind: 'plan',
    expected: {
      title: '浦东新区知识产权运营服务提升三年行动计划（2021—2023年）',
      docNumber: '浦府办〔2021〕7号',
      issuer: '上海市浦东新区人民政府办公室',
      issueDate: '2021-04-08',
      period: '2021-2023',
      sections: [
        { ordinal: '一', title: '行动目标' },
        { ordinal: '二', title: '主要任务' },
        { ordinal: '三', title: '保障措施' },
      ],
      targets: [
        {
          text: '知识产权交易额累计突破20亿元',
          metric: '知识产权交易额',
          value: 20,
          unit: '亿元',
          deadline: '2023',
        },
        {
          text: '引进和培育高端知识产权服务机构15家',
          metric: '高端知识产权服务机构',
          value: 15,
          unit: '家',
          deadline: '2023',
        },
        {
          text: '知识产权服务业从业人员达到5000人以上',
          metric: '知识产权服务业从业人员',
          value: 5000,
          unit: '人',
          deadline: '2023',
        },
      ],
      tasks: [
        {
          id: '二.(一).1',
          title: '建设区级知识产权运营公共服务平台，汇聚专利、商标、版权数据资源',
          leads: ['区知识产权局'],
          partners: ['区科经委', '区大数据中心'],
        },
        {
          id: '二.(一).2',
          title: '推动平台与长三角地区知识产权服务资源互联互通',
          leads: [],
          partners: ['区知识产权局', '区发展和改革委员会'],
        },
        {
          id: '二.(二).3',
          title: '在张江科学城建设知识产权服务业集聚区，引进国内外知名服务机构',
          leads: ['张江科学城建设管理办公室'],
          partners: ['区投资促进服务中心'],
        },
        {
          id: '二.(二).4',
          title: '制定服务机构扶持政策，对新落户的机构给予房租补贴',
          leads: ['区财政局'],
          partners: ['区知识产权局'],
        },
        {
          id: '二.(三).5',
          title: '扩大知识产权质押融资规模，每年新增质押融资企业50家以上',
          leads: ['区金融工作局'],
          partners: ['人民银行上海分行营业管理部', '市科技局（市知识产权局）'],
        },
        {
          id: '二.(三).6',
          title: '建立由区政府牵头、各部门参与的知识产权金融风险分担机制，研究设立风险补偿资金池',
          leads: [],
          partners: [],
        },
      ],
      taskCount: 6,
      safeguards: ['加强统筹协调', '加大资金支持', '强化评估考核'],
    },
  },
  {
    name: 'division-table-pipes.txt',
    behaviour: 'a task-division table in a | b | c rows reads completely',
    kind: 'task-division',
    expected: {
      title: '2023年浦东新区知识产权工作重点任务分工',
      docNumber: '浦知联办〔2023〕2号',
      issuer: '浦东新区知识产权联席会议办公室',
      issueDate: '2023-02-20',
      period: '2023',
      sections: [
        { ordinal: '一', title: '强化知识产权创造' },
        { ordinal: '二', title: '加强知识产权保护' },
      ],
      targets: [],
      tasks: [
        {
          id: '一.1',
          title: '实施高价值专利培育计划，支持企业围绕重点产业布局专利组合',
          leads: ['区知识产权局'],
          partners: ['区科经委', '区财政局'],
        },
        {
          id: '一.2',
          title: '开展商标品牌培育行动',
          leads: ['区市场监管局'],
          partners: ['区科经委', '区财政局'],
        },
        { id: '一.3', title: '推进地理标志产品保护', leads: ['区市场监管局'], partners: ['区农业农村委'] },
        {
          id: '二.4',
          title: '开展知识产权保护专项行动',
          leads: ['区市场监管局'],
          partners: ['区公安分局', '区文体旅游局', '各街镇'],
        },
        { id: '二.5', title: '完善知识产权纠纷调解机制', leads: ['区司法局'], partners: ['区知识产权局'] },
      ],
      taskCount: 5,
      safeguards: [],
    },
  },
  {
    name: 'division-table-cells.txt',
    behaviour: 'a task-division table with one cell per line reads completely',
    kind: 'task-division',
    expected: {
      title: '浦东新区推进知识产权强区建设2022年度任务分解表',
      docNumber: null,
      issuer: '浦东新区知识产权局',
      issueDate: '2022-01-10',
      period: '2022',
      sections: [],
      targets: [],
      tasks: [
        { id: '1', title: '建设知识产权公共服务工作站', leads: ['区知识产权局'], partners: ['各街镇'] },
        { id: '2', title: '开展知识产权服务进园区活动', leads: ['区知识产权局'], partners: ['各街镇'] },
        {
          id: '3',
          title: '组织知识产权专题培训',
          leads: ['区人力资源和社会保障局'],
          partners: ['区知识产权局'],
        },
        { id: '4', title: '编制知识产权发展白皮书', leads: ['区知识产权局'], partners: [] },
      ],
      taskCount: 4,
      safeguards: [],
    },
  },
  {
    name: 'plan-with-division-appendix.txt',
    behaviour: 'a plan whose responsibilities come only from its appendix table reads completely',
    kind: 'plan',
    expected: {
      title: '浦东新区商标品牌建设工作方案',
      docNumber: null,
      issuer: '上海市浦东新区市场监督管理局',
      issueDate: '2021-09-01',
      period: null,
      sections: [
        { ordinal: '一', title: '工作目标' },
        { ordinal: '二', title: '重点工作' },
        { ordinal: '三', title: '保障措施' },
      ],
      targets: [
        {
          text: '全区有效注册商标总量达到30万件',
          metric: '全区有效注册商标总量',
          value: 30,
          unit: '万件',
          deadline: '2024',
        },
        { text: '培育区域公共品牌5个', metric: '区域公共品牌', value: 5, unit: '个', deadline: '2024' },
      ],
      tasks: [
        { id: '二.1', title: '实施商标品牌培育工程', leads: ['区市场监管局'], partners: ['区商务委'] },
        {
          id: '二.2',
          title: '加强商标品牌保护',
          leads: ['区市场监管局'],
          partners: ['区公安分局', '区司法局'],
        },
        { id: '二.3', title: '推动商标品牌国际化', leads: ['区商务委'], partners: [] },
      ],
      taskCount: 3,
      safeguards: ['加强组织领导', '落实经费保障'],
    },
  },
  {
    name: 'minutes-announced.txt',
    behaviour: 'minutes whose decisions follow an announcing sentence read completely',
    kind: 'minutes',
    expected: {
      title: '浦东新区知识产权联席会议2023年第一次全体会议纪要',
      docNumber: null,
      issuer: '浦东新区知识产权联席会议办公室',
      issueDate: '2023-03-10',
      period: '2023',
      sections: [
        { ordinal: '一', title: '关于知识产权保护中心扩容' },
        { ordinal: '二', title: '关于知识产权质押融资风险补偿' },
        { ordinal: '三', title: '关于展会知识产权保护' },
        { ordinal: '四', title: '关于成员单位调整' },
      ],
      targets: [],
      tasks: [
        { id: '一', title: '关于知识产权保护中心扩容', leads: ['区知识产权局'], partners: ['区科经委'] },
        {
          id: '二',
          title: '关于知识产权质押融资风险补偿',
          leads: [],
          partners: ['区财政局', '区金融工作局', '区知识产权局'],
        },
        {
          id: '三',
          title: '关于展会知识产权保护',
          leads: ['区商务委'],
          partners: ['区市场监管局', '区知识产权局'],
        },
        { id: '四', title: '关于成员单位调整', leads: [], partners: [] },
      ],
      taskCount: 4,
      safeguards: [],
    },
  },
  {
    name: 'minutes-decision-heading.txt',
    behaviour: 'minutes whose decisions sit under a 议定事项 heading read completely',
    kind: 'minutes',
    expected: {
      title: '浦东新区知识产权联席会议纪要',
      docNumber: '浦知联〔2022〕3号',
      issuer: '浦东新区知识产权联席会议办公室',
      issueDate: '2022-09-20',
      period: null,
      sections: [
        { ordinal: '一', title: '会议听取的情况' },
        { ordinal: '二', title: '会议议定事项' },
        { ordinal: '三', title: '其他事项' },
      ],
      targets: [],
      tasks: [
        { id: '二.1', title: '关于专利行政执法职责', leads: ['区知识产权局'], partners: ['区市场监管局'] },
        {
          id: '二.2',
          title: '版权执法工作继续由区文体旅游局负责',
          leads: [],
          partners: ['区文体旅游局', '区公安分局'],
        },
        {
          id: '二.3',
          title: '商标执法职责调整至区市场监管局后，相关档案由区知识产权局会同区市场监管局于10月底前完成移交',
          leads: [],
          partners: ['区知识产权局', '区市场监管局'],
        },
      ],
      taskCount: 3,
      safeguards: [],
    },
  },
]

for (const { name, behaviour, kind, expected } of cases) {
  t.test(behaviour, async (t) => {
    const text = read(name)
    t.equal(detectKind(text), kind)
    t.same(parsePlan(text), expected)
  })
}

t.test('Windows line endings read exactly like Unix ones', async (t) => {
  for (const { name, expected } of cases) t.same(parsePlan(read(name).replace(/\n/g, '\r\n')), expected, name)
})
