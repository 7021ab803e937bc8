using Marketplace.Contracts;
using Marketplace.Contracts.Listing;

namespace Marketplace.Matching.Tests;

/// <summary>
/// A small market of realistic listings written for these tests (not taken from any data set),
/// across the ten fields and the three cities, with the queries people would type to find them.
/// </summary>
public static class MarketCorpus
{
    public sealed record Entry(string Key, ListingKind Kind, string Field, string SubMarket, string Title, string Summary, string Description, string[] Keywords, int? Maturity = null, decimal? Price = null);

    public static readonly IReadOnlyList<Entry> Entries =
    [
        new("ncm", ListingKind.Offer, "new-energy", "changsha", "高镍三元锂电池正极材料共沉淀制备技术", "高镍三元正极材料的共沉淀与高温烧结工艺，比容量高、循环寿命长。", "本成果通过控制共沉淀反应的氨浓度与pH值，得到球形度好的高镍前驱体，再经两段烧结获得正极材料，已在百吨级中试线验证。", ["锂电池", "正极材料", "高镍三元"], 6, 1500000m),
        new("lfp", ListingKind.Offer, "new-energy", "xiangtan", "磷酸铁锂电池回收与材料再生技术", "退役磷酸铁锂电池的拆解、分选与正极材料直接再生方法。", "成果包括电池包自动拆解、极片剥离和磷酸铁锂直接补锂再生工艺，回收率超过95%，适合电池回收企业。", ["电池回收", "磷酸铁锂", "材料再生"], 7, 800000m),
        new("solid", ListingKind.Offer, "new-energy", "changsha", "硫化物固态电解质及全固态电池", "高离子电导率硫化物固态电解质的合成与全固态电池组装技术。", "采用机械球磨与低温热处理合成硫银锗矿型电解质，室温离子电导率达到每厘米十毫西门子，已制备软包全固态电池样品。", ["固态电池", "固态电解质", "硫化物"], 4, 3000000m),
        new("pv", ListingKind.Offer, "new-energy", "zhuzhou", "钙钛矿太阳能电池大面积涂布工艺", "钙钛矿薄膜的狭缝涂布与界面钝化技术，组件效率稳定。", "提出添加剂辅助结晶与界面钝化方法，实现大面积钙钛矿光伏组件的均匀涂布，组件效率超过百分之十八。", ["钙钛矿", "太阳能电池", "光伏"], 5, 2000000m),
        new("hydrogen", ListingKind.Offer, "new-energy", "zhuzhou", "质子交换膜燃料电池双极板技术", "金属双极板冲压成型与表面涂层技术，用于氢燃料电池汽车。", "包括超薄不锈钢双极板精密冲压、激光焊接与导电耐蚀涂层，接触电阻低，寿命满足车用要求。", ["燃料电池", "氢能", "双极板"], 6, 2500000m),
        new("railfault", ListingKind.Offer, "transport", "zhuzhou", "轨道交通牵引电机故障诊断系统", "基于振动与电流信号融合的牵引电机故障诊断与预警系统。", "系统采集牵引电机振动、电流和温度信号，利用深度学习模型识别轴承与绕组早期故障，已在地铁车辆上线运行。", ["轨道交通", "故障诊断", "牵引电机"], 7, 1200000m),
        new("railbrake", ListingKind.Offer, "transport", "zhuzhou", "高速列车制动盘新材料与制造工艺", "碳陶复合材料制动盘的制备与性能测试技术。", "采用化学气相渗透与反应熔渗工艺制备碳陶制动盘，耐高温、耐磨损，适用于时速三百五十公里动车组。", ["高速列车", "制动盘", "碳陶复合材料"], 6, 5000000m),
        new("autodrive", ListingKind.Offer, "transport", "changsha", "智能网联汽车多传感器融合感知算法", "激光雷达、摄像头与毫米波雷达融合的目标检测与跟踪算法。", "算法在车端实时运行，完成行人、车辆与交通标志的检测跟踪，已在长沙智能网联测试区完成道路测试。", ["自动驾驶", "传感器融合", "智能网联汽车"], 6, 3000000m),
        new("rice", ListingKind.Offer, "agriculture", "changsha", "水稻耐高温分子标记辅助育种技术", "利用分子标记筛选耐高温水稻品种的育种方法及新品系。", "成果定位了控制水稻抽穗期耐热性的主效基因，开发配套分子标记，选育出适合长江中游种植的耐高温新品系。", ["水稻", "育种", "分子标记"], 5, 600000m),
        new("tea", ListingKind.Offer, "agriculture", "xiangtan", "黑茶发酵微生物控制与品质提升技术", "安化黑茶渥堆发酵优势菌群的筛选与定向接种工艺。", "筛选冠突散囊菌等优势菌株，建立发酵温湿度控制模型，缩短发酵周期并稳定黑茶风味品质。", ["黑茶", "发酵", "微生物"], 7, 400000m),
        new("pig", ListingKind.Offer, "agriculture", "changsha", "生猪养殖环境智能监测与精准饲喂系统", "猪舍环境传感与个体精准饲喂的物联网系统。", "系统监测氨气、温湿度并按生长阶段精准投料，降低料肉比，已在湖南多个规模猪场应用。", ["生猪养殖", "精准饲喂", "物联网"], 8, 500000m),
        new("citrus", ListingKind.Offer, "agriculture", "xiangtan", "柑橘黄龙病快速检测试剂盒", "基于等温扩增的柑橘黄龙病田间快速检测技术。", "试剂盒在三十分钟内完成检测，灵敏度高，无需专业仪器，适合果园现场筛查。", ["柑橘", "黄龙病", "快速检测"], 7, 300000m),
        new("chip", ListingKind.Offer, "info-tech", "changsha", "国产处理器嵌入式实时操作系统", "面向工业控制的国产嵌入式实时操作系统及开发工具链。", "操作系统支持多核调度与确定性中断响应，通过功能安全认证评估，提供集成开发环境与驱动库。", ["操作系统", "嵌入式", "工业控制"], 8, 4000000m),
        new("nlp", ListingKind.Offer, "info-tech", "changsha", "面向政务的中文大模型问答系统", "基于检索增强的政务服务智能问答与公文辅助写作。", "系统融合政策法规知识库与中文大语言模型，实现政策问答、事项导办与公文草拟，支持本地化部署。", ["大模型", "智能问答", "自然语言处理"], 6, 2000000m),
        new("vision", ListingKind.Offer, "info-tech", "xiangtan", "钢材表面缺陷机器视觉检测系统", "基于深度学习的热轧钢板表面缺陷在线检测。", "高速线阵相机采集钢板图像，卷积神经网络识别划伤、结疤和氧化皮等缺陷，检出率超过百分之九十八。", ["机器视觉", "缺陷检测", "深度学习"], 8, 1800000m),
        new("security", ListingKind.Offer, "info-tech", "changsha", "工业控制系统网络安全防护平台", "面向电力与制造企业的工控网络入侵检测与防护。", "平台通过协议深度解析和行为基线识别异常指令，支持国产化工控设备，具备态势感知功能。", ["网络安全", "工业控制", "入侵检测"], 7, 2200000m),
        new("crane", ListingKind.Offer, "equipment", "changsha", "工程机械智能远程运维平台", "混凝土泵车与起重机的远程监控与预测性维护。", "平台采集设备工况数据，构建关键部件剩余寿命预测模型，实现故障预警与服务调度。", ["工程机械", "预测性维护", "远程运维"], 8, 2500000m),
        new("robot", ListingKind.Offer, "equipment", "xiangtan", "焊接机器人视觉引导与焊缝跟踪技术", "结构光视觉实时引导的焊接机器人焊缝跟踪系统。", "系统利用激光结构光测量焊缝位置，实时修正机器人轨迹，适用于船舶与钢结构焊接。", ["焊接机器人", "焊缝跟踪", "机器视觉"], 7, 1600000m),
        new("cnc", ListingKind.Offer, "equipment", "zhuzhou", "五轴数控机床热误差补偿技术", "基于温度场建模的五轴机床热变形误差实时补偿。", "建立主轴与床身温度—变形映射模型，通过数控系统实时补偿，使加工精度提高百分之四十。", ["数控机床", "误差补偿", "精密加工"], 6, 900000m),
        new("motor", ListingKind.Offer, "equipment", "xiangtan", "大功率永磁同步电机电磁驱动设计", "用于矿山和船舶推进的大功率永磁同步电机与驱动器。", "采用分段斜极与油冷散热设计，电机效率超过百分之九十六，配套矢量控制驱动器。", ["永磁同步电机", "电磁驱动", "电机控制"], 7, 6000000m),
        new("alloy", ListingKind.Offer, "materials", "xiangtan", "高强韧铝锂合金板材制备技术", "航空用铝锂合金的熔铸、轧制与热处理工艺。", "通过微合金化与多级时效工艺，获得强度和断裂韧性匹配良好的铝锂合金板材，可用于飞机蒙皮。", ["铝锂合金", "航空材料", "热处理"], 5, 3500000m),
        new("carbide", ListingKind.Offer, "materials", "zhuzhou", "超细晶硬质合金刀具材料", "超细晶粒碳化钨硬质合金及涂层刀具制备技术。", "采用晶粒长大抑制剂与低压烧结制备超细晶硬质合金，配合纳米多层涂层，刀具寿命提高一倍。", ["硬质合金", "刀具", "粉末冶金"], 8, 1500000m),
        new("graphene", ListingKind.Offer, "materials", "changsha", "石墨烯导热膜规模化制备技术", "氧化石墨烯还原制备高导热石墨烯膜的工艺与装备。", "导热膜面内热导率超过每米开尔文一千五百瓦，可用于手机与基站散热，已建成中试线。", ["石墨烯", "导热膜", "散热"], 6, 2800000m),
        new("steel", ListingKind.Offer, "materials", "xiangtan", "耐候桥梁钢冶炼与轧制工艺", "免涂装耐候桥梁钢的成分设计和控轧控冷工艺。", "在湘潭钢厂完成工业试制，耐大气腐蚀性能优良，降低桥梁全寿命维护成本。", ["耐候钢", "桥梁钢", "控轧控冷"], 8, 4000000m),
        new("water", ListingKind.Offer, "environment", "changsha", "重金属污染土壤钝化修复技术", "镉砷复合污染农田土壤的钝化剂与修复工艺。", "研制以改性生物炭为主的复合钝化剂，降低稻米镉含量，已在湘江流域示范应用上千亩。", ["土壤修复", "重金属", "镉污染"], 7, 700000m),
        new("sludge", ListingKind.Offer, "environment", "zhuzhou", "市政污泥低温干化与资源化利用", "污泥低温热泵干化与制备建材的成套技术。", "热泵干化能耗低，干化污泥可制备陶粒和免烧砖，实现减量化和资源化。", ["污泥处理", "热泵干化", "资源化"], 7, 1000000m),
        new("vocs", ListingKind.Offer, "environment", "changsha", "工业挥发性有机物催化燃烧治理装备", "涂装与印刷行业挥发性有机物的蓄热催化燃烧设备。", "采用低温高效催化剂与蓄热式结构，净化效率超过百分之九十八，运行能耗低。", ["挥发性有机物", "催化燃烧", "废气治理"], 8, 1200000m),
        new("vaccine", ListingKind.Offer, "biomed", "changsha", "猪伪狂犬病基因缺失疫苗", "基因缺失弱毒疫苗株及其生产工艺。", "构建双基因缺失疫苗株，免疫保护效果好，可区分疫苗免疫与野毒感染，已获临床试验批件。", ["疫苗", "伪狂犬病", "兽用生物制品"], 6, 5000000m),
        new("drug", ListingKind.Offer, "biomed", "changsha", "抗肿瘤小分子靶向药物候选化合物", "新型激酶抑制剂候选化合物及其制备方法。", "候选化合物对多种肿瘤细胞株抑制活性强，完成药效学与初步毒理研究，拥有化合物专利。", ["抗肿瘤", "靶向药物", "激酶抑制剂"], 4, 20000000m),
        new("device", ListingKind.Offer, "biomed", "xiangtan", "便携式血液透析设备关键技术", "小型化血液透析机的水处理与精确超滤控制。", "设备体积小、可家庭使用，超滤控制误差小于百分之一，适合基层医疗机构。", ["血液透析", "医疗器械", "超滤控制"], 5, 3000000m),
        new("drone", ListingKind.Offer, "aerospace", "zhuzhou", "中小型航空发动机涡轮叶片精密铸造", "单晶涡轮叶片定向凝固精密铸造工艺。", "优化型壳与定向凝固参数，提高单晶叶片成品率，适用于中小型涡轴与涡扇发动机。", ["航空发动机", "涡轮叶片", "精密铸造"], 6, 8000000m),
        new("uav", ListingKind.Offer, "aerospace", "changsha", "植保无人机精准变量喷施系统", "基于处方图的植保无人机变量喷洒控制技术。", "根据作物长势处方图实时调整喷量，减少农药用量百分之二十，已在水稻和柑橘园应用。", ["无人机", "植保", "变量喷施"], 8, 600000m),
        new("testing", ListingKind.Offer, "tech-services", "changsha", "新能源汽车零部件检测认证服务", "动力电池与电驱系统的检测、认证与失效分析服务。", "具备国家认可的检测实验室，提供电池安全、电磁兼容和可靠性测试及技术咨询。", ["检测认证", "新能源汽车", "失效分析"], 9, 200000m),
        new("d-battery", ListingKind.Demand, "new-energy", "changsha", "动力电池正极材料产业化技术需求", "寻求高能量密度正极材料规模化制备技术。", "公司计划建设万吨级正极材料产线，需要成熟的高镍三元或磷酸锰铁锂制备工艺及设备方案。", ["正极材料", "锂电池", "产业化"]),
        new("d-rail", ListingKind.Demand, "transport", "zhuzhou", "地铁车辆走行部在线监测技术需求", "需要转向架与牵引电机的在线状态监测和故障诊断方案。", "现有检修依靠人工，希望引入振动监测与故障诊断系统，实现状态修，降低维护成本。", ["故障诊断", "轨道交通", "状态监测"]),
        new("d-soil", ListingKind.Demand, "environment", "xiangtan", "农田镉污染治理技术需求", "寻求低成本的稻田镉污染钝化修复技术。", "县域内有大量轻中度镉污染稻田，需要可推广的钝化修复与农艺调控综合方案。", ["镉污染", "土壤修复", "稻田"]),
        new("d-steel", ListingKind.Demand, "info-tech", "xiangtan", "板材表面质量智能检测需求", "需要冷轧板表面缺陷的在线自动检测系统。", "产线速度快，人工目检漏检多，希望采用机器视觉与人工智能实现缺陷自动识别分类。", ["表面缺陷", "机器视觉", "智能检测"]),
    ];

    /// <summary>What people type, and the listing they are looking for.</summary>
    public static readonly IReadOnlyList<(string Query, string Expected)> Queries =
    [
        ("锂电池正极材料", "ncm"),
        ("高镍三元", "ncm"),
        ("电池回收", "lfp"),
        ("固态电池", "solid"),
        ("钙钛矿光伏", "pv"),
        ("氢燃料电池双极板", "hydrogen"),
        ("轨道交通 故障诊断", "railfault"),
        ("动车组制动盘", "railbrake"),
        ("自动驾驶感知", "autodrive"),
        ("水稻 育种", "rice"),
        ("黑茶发酵", "tea"),
        ("精准饲喂", "pig"),
        ("黄龙病检测", "citrus"),
        ("嵌入式操作系统", "chip"),
        ("政务大模型", "nlp"),
        ("钢板表面缺陷检测", "vision"),
        ("工控安全", "security"),
        ("焊缝跟踪", "robot"),
        ("数控机床热误差", "cnc"),
        ("永磁电机", "motor"),
        ("铝锂合金", "alloy"),
        ("硬质合金刀具", "carbide"),
        ("石墨烯散热", "graphene"),
        ("土壤重金属修复", "water"),
        ("污泥干化", "sludge"),
        ("VOCs催化燃烧", "vocs"),
        ("伪狂犬疫苗", "vaccine"),
        ("涡轮叶片铸造", "drone"),
        ("植保无人机", "uav"),
        ("电池检测认证", "testing"),
    ];

    public static Guid IdOf(string key) => new(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes("corpus:" + key)));

    public static ListingSnapshot Snapshot(Entry e, long version = 3, ListingStatus status = ListingStatus.Published, DateTimeOffset? publishedAt = null) => new()
    {
        Id = IdOf(e.Key),
        Version = version,
        Kind = e.Kind,
        Status = status,
        OwnerOrg = "org-" + e.Key,
        OwnerOrgName = e.Key + " 单位",
        SubMarket = e.SubMarket,
        Title = e.Title,
        Summary = e.Summary,
        Description = e.Description,
        Field = e.Field,
        Keywords = e.Keywords,
        Maturity = e.Maturity,
        TransferModes = e.Kind == ListingKind.Offer ? [TransferMode.Transfer, TransferMode.OrdinaryLicense] : [TransferMode.JointDevelopment],
        Price = e.Kind == ListingKind.Offer ? new Money { Min = e.Price, Max = e.Price * 2 } : null,
        Budget = e.Kind == ListingKind.Offer ? null : new Money { Min = 1_000_000m, Max = 3_000_000m },
        Deadline = e.Kind == ListingKind.Offer ? null : new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero),
        PublishedAt = publishedAt ?? DateTimeOffset.UtcNow.AddDays(-3),
        UpdatedAt = publishedAt ?? DateTimeOffset.UtcNow.AddDays(-3),
    };
}
