"""Labels for the supply-chain diagram. Every line is a fact stated in
content/faq/global-supply-chains.md, content/faq/reduce-reliance-on-us-chips.md,
content/glossary/*.md or the timeline entries they link to; NOTES.md maps each
line to its file."""

EN = dict(
    lang="en", xml_lang="en", file="supply-chain.svg",
    font="system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif",
    code_us="US",
    svg_title="How Huawei’s Ascend AI chips are made, and where export controls bite",
    title=["The Ascend supply chain:", "where export controls bite"],
    legend_head="Key",
    legend=["Export control: who imposed it", "and, where sources give it, when.",
            "US = United States, JP = Japan,", "NL = Netherlands"],
    stages=[
        (1, "Design", [
            ("p", ["Huawei designs the Ascend chips", "in-house, in its HiSilicon unit."]),
            ("ctrl", ["US"], ["US control · May 2019"],
             ["Huawei joins the Entity List; items", "under US export rules need", "a licence."]),
        ]),
        (2, "Tools: lithography", [
            ("p", ["Only ASML, a Dutch firm, makes EUV", "machines, the most advanced; China",
                   "cannot buy them. SMIC uses DUV."]),
            ("ctrl", ["NL"], ["Dutch control · 2019"],
             ["ASML’s licence to ship an EUV", "machine to China is not renewed,",
              "after US lobbying (Reuters)."]),
            ("ctrl", ["NL", "JP"], ["Dutch and Japanese", "controls · 2023"],
             ["Licence rules for advanced", "chipmaking tools."]),
            ("ctrl", ["US"], ["US control · Dec 2024"],
             ["24 types of chipmaking tools."]),
        ]),
        (3, "Wafer fabrication (foundry)", [
            ("p", ["SMIC makes the Ascend chips in", "China, the 910C on its 7 nm-class",
                   "N+2 process (Reuters). 910C yield:", "about 20%, against about 50% for",
                   "the 910B, tied to the lack of advanced", "lithography (Reuters’ sources)."]),
            ("ctrl", ["US"], ["US control · Dec 2020"], ["SMIC joins the Entity List."]),
            ("ctrl", ["US"], ["US control · May 2020"],
             ["Chips made abroad to Huawei’s", "designs with certain US software,",
              "technology or tools need licences."]),
            ("alt", ["TSMC (Taiwan)"],
             ["Says it has not supplied Huawei", "since September 2020, yet",
              "TechInsights found TSMC-made dies", "in a 910B (2024) and in 910C",
              "samples (2025)."]),
        ]),
        (4, "Memory (HBM)", [
            ("p", ["High-bandwidth memory, stacked", "next to the processor.",
                   "**Imported:** HBM2E by Samsung and", "SK Hynix (Korea) in 910C samples.",
                   "**Domestic:** CXMT had sent HBM3", "samples to Huawei by October 2025",
                   "(DigiTimes). The Ascend 950, due in", "2026, has HBM Huawei developed."]),
            ("ctrl", ["US"], ["US control · Dec 2024"], ["Sales of HBM to China restricted."]),
        ]),
        (5, "Packaging", [
            ("p", ["The Ascend 910C joins two dies", "in one package."]),
        ]),
        (6, "Software", [
            ("p", ["**Huawei:** CANN runs AI frameworks", "on Ascend chips, as CUDA does for",
                   "Nvidia’s GPUs; MindSpore (2019)", "builds and trains AI models."]),
            ("alt", ["Versus Nvidia’s CUDA"],
             ["Much AI software is written for it,", "so switching chips is costly."]),
        ]),
    ],
    end_head="Where the chips go",
    end=["In June 2025 a senior US Commerce", "official expected all or nearly all",
         "Ascend output to stay in China."],
)

EN["desc"] = (
    "A top-to-bottom flow of the six stages in making Huawei’s Ascend AI chips. Export-control "
    "points are marked by red octagons carrying the code of the country that imposed them (US "
    "United States, NL Netherlands, JP Japan) and a heading with the country and, where sources "
    "give it, the date. 1 Design: Huawei designs the Ascend chips in-house, in its HiSilicon "
    "unit. US control, May 2019: Huawei joins the Entity List; items under US export rules need "
    "a licence. 2 Tools, lithography: only ASML, a Dutch firm, makes EUV machines, the most "
    "advanced; China cannot buy them, and SMIC uses DUV. Dutch control, 2019: ASML’s licence to "
    "ship an EUV machine to China is not renewed, after US lobbying (Reuters). Dutch and Japanese "
    "controls, 2023: licence rules for advanced chipmaking tools. US control, December 2024: "
    "24 types of chipmaking tools. 3 Wafer fabrication (foundry): SMIC makes the Ascend chips in "
    "China, the 910C on its 7 nm-class N+2 process (Reuters); 910C yield is about 20 per cent "
    "against about 50 for the 910B, tied by Reuters’ sources to the lack of advanced lithography. "
    "US control, December 2020: SMIC joins the Entity List. US control, May 2020: chips made "
    "abroad to Huawei’s designs with certain US software, technology or tools need licences. In "
    "a dashed box: TSMC (Taiwan) says it has not supplied Huawei since September 2020, yet "
    "TechInsights found TSMC-made dies in a 910B (2024) and in 910C samples (2025). 4 Memory "
    "(HBM): high-bandwidth memory, stacked next to the processor. Imported: HBM2E by Samsung and "
    "SK Hynix (Korea) in 910C samples. Domestic: CXMT had sent HBM3 samples to Huawei by October "
    "2025 (DigiTimes); the Ascend 950, due in 2026, has HBM Huawei developed. US control, "
    "December 2024: sales of HBM to China restricted. 5 Packaging: the Ascend 910C joins two dies "
    "in one package; no control is marked. 6 Software: Huawei’s CANN runs AI frameworks on "
    "Ascend chips, as CUDA does for Nvidia’s GPUs; MindSpore (2019) builds and trains AI models. "
    "In a dashed box, versus Nvidia’s CUDA: much AI software is written for it, so switching "
    "chips is costly. No control is marked. Where the chips go: in June 2025 a senior US "
    "Commerce official expected all or nearly all Ascend output to stay in China."
)

ZH = dict(
    lang="zh", xml_lang="zh-Hans", file="supply-chain.zh.svg",
    font=("'Noto Sans CJK SC', 'PingFang SC', 'Microsoft YaHei', system-ui, "
          "-apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"),
    code_us="美",
    svg_title="华为昇腾AI芯片如何制造，出口管制卡在哪些环节",
    title=["华为昇腾芯片如何制造，", "出口管制卡在哪些环节"],
    legend_head="图例",
    legend=["出口管制点：标明实施国家；", "资料给出时间的，一并标明。",
            "美＝美国，荷＝荷兰，日＝日本"],
    stages=[
        (1, "设计", [
            ("p", ["华为自主设计昇腾芯片，", "由旗下海思负责。"]),
            ("ctrl", ["美"], ["美国管制：2019年5月"],
             ["华为被列入实体清单：受美国", "出口规则管辖的物品须获许可证。"]),
        ]),
        (2, "制造设备：光刻", [
            ("p", ["荷兰公司阿斯麦（ASML）是极紫外", "（EUV）光刻机的唯一制造商，这是",
                   "最先进的光刻机。中国买不到；", "中芯国际使用较旧的深紫外（DUV）设备。"]),
            ("ctrl", ["荷"], ["荷兰管制：2019年"],
             ["在美国游说后，荷兰政府未续签", "阿斯麦向中国运送一台EUV光刻机",
              "的许可证（路透社）。"]),
            ("ctrl", ["荷", "日"], ["荷兰、日本管制：", "2023年"],
             ["对先进芯片制造设备", "实行许可证规则。"]),
            ("ctrl", ["美"], ["美国管制：2024年12月"],
             ["对24类芯片制造设备实施管制。"]),
        ]),
        (3, "晶圆制造（代工）", [
            ("p", ["中芯国际在中国制造昇腾芯片；", "据路透社报道，910C采用其7纳米级",
                   "N+2工艺。路透社消息人士称910C", "良率约20%，910B约50%，并将此",
                   "归因于缺乏先进光刻设备。"]),
            ("ctrl", ["美"], ["美国管制：2020年12月"], ["中芯国际被列入实体清单。"]),
            ("ctrl", ["美"], ["美国管制：2020年5月"],
             ["按华为设计、使用特定美国软件、", "技术或设备在境外制造的芯片，", "须获许可证。"]),
            ("alt", ["台积电（台湾）"],
             ["称自2020年9月起未再向华为供货。", "但TechInsights在一颗910B（2024年）",
              "和910C样品（2025年）中发现了", "台积电制造的裸片。"]),
        ]),
        (4, "内存（高带宽内存，HBM）", [
            ("p", ["高带宽内存：堆叠的内存芯片，紧贴", "处理器放置。",
                   "**进口：**910C样品使用三星和", "SK海力士（韩国）生产的HBM2E。",
                   "**国产：**据DigiTimes，长鑫存储到", "2025年10月已向华为送出HBM3样品。",
                   "华为计划为2026年推出的昇腾950", "搭配自己设计的内存。"]),
            ("ctrl", ["美"], ["美国管制：2024年12月"], ["限制向中国销售高带宽内存。"]),
        ]),
        (5, "封装", [
            ("p", ["昇腾910C在一个封装内结合两颗裸片。"]),
        ]),
        (6, "软件", [
            ("p", ["**华为：**CANN让AI框架在昇腾芯片上", "运行，作用类似CUDA之于英伟达GPU。",
                   "MindSpore于2019年随昇腾910推出，", "用于构建和训练AI模型。"]),
            ("alt", ["对比：英伟达的CUDA"],
             ["当今大量AI软件为CUDA编写，", "因此换用其他芯片成本高昂。"]),
        ]),
    ],
    end_head="芯片流向",
    end=["一位美国商务部高级官员2025年6月", "表示，预计昇腾芯片的全部或几乎",
         "全部产量将留在中国。"],
)

ZH["desc"] = (
    "自上而下的流程图，展示华为昇腾AI芯片制造的六个环节。出口管制点用红色八角形标出，内写实施国家"
    "（美＝美国，荷＝荷兰，日＝日本），标题写明国家，资料给出时间的一并写明。"
    "一、设计：华为自主设计昇腾芯片，由旗下海思负责。美国管制，2019年5月：华为被列入实体清单，"
    "受美国出口规则管辖的物品须获许可证。"
    "二、制造设备（光刻）：荷兰公司阿斯麦（ASML）是极紫外（EUV）光刻机的唯一制造商，这是最先进的"
    "光刻机；中国买不到，中芯国际使用较旧的深紫外（DUV）设备。荷兰管制，2019年：在美国游说后，"
    "荷兰政府未续签阿斯麦向中国运送一台EUV光刻机的许可证（路透社）。荷兰、日本管制，2023年："
    "对先进芯片制造设备实行许可证规则。美国管制，2024年12月：对24类芯片制造设备实施管制。"
    "三、晶圆制造（代工）：中芯国际在中国制造昇腾芯片；据路透社报道，910C采用其7纳米级N+2工艺。"
    "路透社消息人士称910C良率约20%，910B约50%，并将此归因于缺乏先进光刻设备。美国管制，2020年12月："
    "中芯国际被列入实体清单。美国管制，2020年5月：按华为设计、使用特定美国软件、技术或设备在境外制造的"
    "芯片须获许可证。虚线框：台积电（台湾）称自2020年9月起未再向华为供货，但TechInsights在一颗910B"
    "（2024年）和910C样品（2025年）中发现了台积电制造的裸片。"
    "四、内存（高带宽内存，HBM）：堆叠的内存芯片，紧贴处理器放置。进口：910C样品使用三星和SK海力士"
    "（韩国）生产的HBM2E。国产：据DigiTimes，长鑫存储到2025年10月已向华为送出HBM3样品；华为计划为"
    "2026年推出的昇腾950搭配自己设计的内存。美国管制，2024年12月：限制向中国销售高带宽内存。"
    "五、封装：昇腾910C在一个封装内结合两颗裸片；未标管制点。"
    "六、软件：华为的CANN让AI框架在昇腾芯片上运行，作用类似CUDA之于英伟达GPU；MindSpore于2019年"
    "随昇腾910推出，用于构建和训练AI模型。虚线框对比英伟达的CUDA：当今大量AI软件为CUDA编写，因此"
    "换用其他芯片成本高昂。未标管制点。"
    "芯片流向：一位美国商务部高级官员2025年6月表示，预计昇腾芯片的全部或几乎全部产量将留在中国。"
)
