#include "schema/classify.hpp"
#include "schema/grid.hpp"
#include "schema/metadata.hpp"
#include "schema/records.hpp"
#include "schema/stage.hpp"
#include "schema/text.hpp"
#include "tsv_table.hpp"

#include <gtest/gtest.h>

#include "../project_data.hpp"

#include <fstream>
#include <set>
#include <sstream>

using namespace fiscan;
using fiscan::testing::schema_data;
using fiscan::testing::table_from_tsv;
using nlohmann::json;

namespace {

const SchemaSet& schemas() { return fiscan::testing::project_schemas(); }
const Lexicon& lexicon() { return fiscan::testing::project_lexicon(); }

Document doc_of(const std::vector<std::string>& fixtures) { return fiscan::testing::doc_of_tsv(fixtures); }

// one table through the stage
Table run_one(const std::string& fixture, Document* out = nullptr) {
    Document d = doc_of({fixture});
    apply_schemas(d, schemas(), lexicon());
    if (out) *out = d;
    return d.tables.at(0);
}

const json* find_code(const json& recs, const std::string& code) {
    for (const auto& r : recs)
        if (r.contains("code") && r["code"].is_string() && r["code"] == code) return &r;
    return nullptr;
}
const json* find_key(const json& recs, const std::string& key) {
    for (const auto& r : recs)
        if (r.value("key", "") == key) return &r;
    return nullptr;
}
double fv(const json& rec, const std::string& field) { return rec.at("fields").at(field).at("value").get<double>(); }

}  // namespace

TEST(SchemaLayouts, EveryCatalogueTableHasALayout) {
    std::ifstream in(std::string(FISCAN_SOURCE_DIR) + "/../shared/reference/tables.json");
    if (!in) GTEST_SKIP() << "shared reference not available";
    auto cat = json::parse(in);
    for (const auto& t : cat) EXPECT_NE(schemas().find(t["id"]), nullptr) << t["id"];
    // Shanghai variants
    for (int k = 1; k <= 9; ++k) EXPECT_NE(schemas().find("budget.sh.0" + std::to_string(k)), nullptr) << k;
}

TEST(SchemaLayouts, IdentitiesAreWellFormed) {
    std::set<std::string> kinds = {"hierarchy", "row_sum", "sum", "equal", "cross", "duplicate"};
    for (const auto& s : schemas().schemas)
        for (const auto& id : s.identities) {
            EXPECT_TRUE(id.contains("id")) << s.id;
            ASSERT_TRUE(id.contains("kind")) << s.id;
            EXPECT_TRUE(kinds.count(id["kind"])) << s.id << " " << id["kind"];
            if (id["kind"] == "duplicate") {
                EXPECT_NE(schemas().find(id["of"]), nullptr) << s.id;
            }
            if (id["kind"] == "cross") {
                for (const char* side : {"left", "right"}) {
                    std::string ref = id[side];
                    auto colon = ref.find(':');
                    ASSERT_NE(colon, std::string::npos) << s.id << " " << ref;
                    EXPECT_NE(schemas().find(ref.substr(0, colon)), nullptr) << s.id << " " << ref;
                }
            }
        }
}

TEST(SchemaLayouts, MalformedLayoutIsRejected) {
    EXPECT_THROW(schema::parse_schema(json::parse(R"({"id":"x","titles":[],"row_key":{"kind":"code"}})")), std::exception);
    EXPECT_THROW(schema::parse_schema(json::parse(R"({"id":"x","titles":["t"],"row_key":{"kind":"code"}})")), std::exception);
}

TEST(SchemaLexicon, LoadsYearDependentNames) {
    const auto& lex = lexicon();
    EXPECT_GT(lex.size("function"), 150u);
    EXPECT_GT(lex.size("dept_economic"), 100u);
    auto n2018 = lex.lookup("function", "210", 2018);
    auto n2020 = lex.lookup("function", "210", 2020);
    ASSERT_EQ(n2018.size(), 1u);
    ASSERT_EQ(n2020.size(), 1u);
    EXPECT_EQ(n2018[0]->name, "医疗卫生与计划生育支出");
    EXPECT_EQ(n2020[0]->name, "卫生健康支出");
    EXPECT_EQ(lex.class_code("function", "十九、住房保障支出", false), std::optional<std::string>("221"));
    EXPECT_EQ(lex.class_code("function", "7、社会保障和就业", true), std::optional<std::string>("208"));
    // a code seen only on a real page (Putuo 2026 budget) was merged in
    EXPECT_FALSE(lex.lookup("function", "2040604").empty());
}

// ---------------------------------------------------------------- seeds

TEST(SchemaSeeds, Final02CodesAndTotals) {
    Table t = run_one("seed002_final02.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "final.02");
    EXPECT_GT(t.schema_confidence, 0.8);
    const auto* total = find_key(t.records, "合计");
    ASSERT_NE(total, nullptr);
    EXPECT_DOUBLE_EQ(fv(*total, "本年收入合计"), 810.16);
    EXPECT_DOUBLE_EQ(fv(*total, "财政拨款收入"), 810.16);
    EXPECT_TRUE(total->at("fields").at("上级补助收入").at("value").is_null());
    const auto* r = find_code(t.records, "2100410");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->at("level"), "项");
    EXPECT_DOUBLE_EQ(fv(*r, "本年收入合计"), 12.01);
    // 栏次 row is not a record
    EXPECT_EQ(t.records.size(), 5u);
}

TEST(SchemaSeeds, Final01TwoSided) {
    Table t = run_one("seed002_final01.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "final.01");
    ASSERT_TRUE(t.records.contains("income"));
    ASSERT_TRUE(t.records.contains("expense"));
    const auto& inc = t.records["income"];
    const auto& exp = t.records["expense"];
    ASSERT_NE(find_key(inc, "一般公共预算财政拨款收入"), nullptr);
    EXPECT_DOUBLE_EQ(fv(*find_key(inc, "一般公共预算财政拨款收入"), "决算数"), 810.16);
    EXPECT_DOUBLE_EQ(fv(*find_key(inc, "本年收入合计"), "决算数"), 810.16);
    EXPECT_DOUBLE_EQ(fv(*find_key(inc, "总计"), "决算数"), 810.16);
    EXPECT_DOUBLE_EQ(fv(*find_key(exp, "class:210"), "决算数"), 12.01);
    EXPECT_DOUBLE_EQ(fv(*find_key(exp, "本年支出合计"), "决算数"), 810.16);
    EXPECT_NE(find_key(exp, "年末结转和结余"), nullptr);
    // the 行次 column is not a value field
    EXPECT_FALSE(find_key(inc, "总计")->at("fields").contains("line_no"));
}

TEST(SchemaSeeds, Final04SubLinesAfterCarryOver) {
    Table t = run_one("seed002_final04.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "final.04");
    const auto& inc = t.records["income"];
    EXPECT_NE(find_key(inc, "一般公共预算财政拨款"), nullptr);
    EXPECT_NE(find_key(inc, "年初财政拨款结转和结余.一般公共预算财政拨款"), nullptr);
    EXPECT_NE(find_key(inc, "年初财政拨款结转和结余.国有资本经营预算财政拨款"), nullptr);
    const auto* health = find_key(t.records["expense"], "class:210");
    ASSERT_NE(health, nullptr);
    EXPECT_DOUBLE_EQ(fv(*health, "合计"), 12.01);
    EXPECT_DOUBLE_EQ(fv(*health, "一般公共预算财政拨款"), 1.01);  // as printed (seed violation #10)
}

TEST(SchemaSeeds, Final06PanelsUnfolded) {
    Table t = run_one("seed002_final06.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "final.06");
    ASSERT_TRUE(t.records.is_array());
    EXPECT_DOUBLE_EQ(fv(*find_code(t.records, "301"), "决算数"), 140.10);
    EXPECT_DOUBLE_EQ(fv(*find_code(t.records, "30227"), "决算数"), 121.06);
    EXPECT_DOUBLE_EQ(fv(*find_code(t.records, "31002"), "决算数"), 349.52);
    EXPECT_EQ(find_code(t.records, "301")->at("panel"), 0);
    EXPECT_EQ(find_code(t.records, "302")->at("panel"), 1);
    EXPECT_EQ(find_code(t.records, "310")->at("panel"), 2);
    ASSERT_NE(find_key(t.records, "人员经费合计"), nullptr);
    EXPECT_DOUBLE_EQ(fv(*find_key(t.records, "公用经费合计"), "决算数"), 670.06);
}

TEST(SchemaSeeds, Final07BlocksByHeaderPath) {
    Table t = run_one("seed002_final07.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "final.07");
    ASSERT_EQ(t.records.size(), 1u);
    const auto& r = t.records[0];
    EXPECT_EQ(r["fields"]["预算数.合计"]["cell"], json::array({4, 0}));
    EXPECT_EQ(r["fields"]["决算数.公务接待费"]["cell"], json::array({4, 11}));
    EXPECT_EQ(r["fields"]["决算数.公务用车购置及运行费.公务用车运行费"]["cell"], json::array({4, 10}));
    EXPECT_DOUBLE_EQ(fv(r, "决算数.合计"), 0.40);
}

TEST(SchemaSeeds, Hunan11SplitCodesJoined) {
    Table t = run_one("seed000_hn11.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "budget.hn.11");
    const auto* r = find_code(t.records, "2010302");
    ASSERT_NE(r, nullptr);
    EXPECT_DOUBLE_EQ(fv(*r, "项目支出.合计"), 125.00);
    EXPECT_DOUBLE_EQ(fv(*r, "项目支出.专项商品和服务支出"), 125.00);
    const auto* k = find_code(t.records, "20802");
    ASSERT_NE(k, nullptr);
    EXPECT_EQ(k->at("level"), "款");
    EXPECT_DOUBLE_EQ(fv(*find_code(t.records, "2010301"), "基本支出.工资福利支出"), 61.39);
    EXPECT_DOUBLE_EQ(fv(*find_key(t.records, "合计"), "总计"), 407.37);
}

TEST(SchemaSeeds, Hunan04SpacedNumbersAndMiscodedRow) {
    Document d;
    Table t = run_one("seed000_hn04.tsv", &d);
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "budget.hn.04");
    // "407. 37" read as 407.37, printed text kept
    const auto* total = find_key(t.records, "合计");
    ASSERT_NE(total, nullptr);
    EXPECT_DOUBLE_EQ(fv(*total, "总计"), 407.37);
    auto cell = total->at("fields").at("总计").at("cell");
    const Cell* c = t.at(cell[0], cell[1]);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->text, "407.37");
    EXPECT_EQ(c->raw_text, "407. 37");
    ASSERT_TRUE(c->value);
    // 201 02 民政管理事务 is 208 02's name (seed violation #3)
    bool found = false;
    for (const auto& f : d.findings)
        if (f.kind == "code_name_mismatch" && f.detail.value("code", "") == "20102") {
            found = true;
            EXPECT_EQ(f.severity, "error");
            EXPECT_EQ(f.detail.value("name_of_code", ""), "20802");
        }
    EXPECT_TRUE(found);
}

TEST(SchemaSeeds, Hunan13EconomicBlock) {
    Table t = run_one("seed000_hn13.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "budget.hn.13");
    EXPECT_DOUBLE_EQ(fv(*find_code(t.records, "302"), "预算金额"), 12.61);
    EXPECT_DOUBLE_EQ(fv(*find_code(t.records, "30239"), "预算金额"), 3.61);
    EXPECT_TRUE(find_code(t.records, "30240")->at("fields").at("预算金额").at("value").is_null());
}

TEST(SchemaSeeds, Hunan17AndHunan09AndHunan10) {
    Table t17 = run_one("seed000_hn17.tsv");
    ASSERT_TRUE(t17.schema);
    EXPECT_EQ(*t17.schema, "budget.hn.17");
    EXPECT_DOUBLE_EQ(fv(*find_code(t17.records, "30107"), "合计"), 13.55);
    EXPECT_DOUBLE_EQ(fv(*find_key(t17.records, "合计"), "公用经费"), 12.61);

    Table t9 = run_one("seed000_hn09.tsv");
    ASSERT_TRUE(t9.schema);
    EXPECT_EQ(*t9.schema, "budget.hn.09");
    const auto& m = t9.records["main"];
    EXPECT_DOUBLE_EQ(fv(*find_key(m, "合计"), "预算金额"), 0.26);
    EXPECT_DOUBLE_EQ(fv(*find_key(m, "会议费"), "预算金额"), 0.16);
    EXPECT_NE(find_key(m, "公务用车运行维护费"), nullptr);

    Table t10 = run_one("seed000_hn10.tsv");
    ASSERT_TRUE(t10.schema);
    EXPECT_EQ(*t10.schema, "budget.hn.10");
    const auto* social = find_key(t10.records["expense"], "class:208");
    ASSERT_NE(social, nullptr);
    EXPECT_DOUBLE_EQ(fv(*social, "一般公共预算"), 208.36);
    EXPECT_DOUBLE_EQ(fv(*find_key(t10.records["income"], "经费拨款"), "本年预算"), 407.37);
}

// ---------------------------------------------------------------- real PDFs (Shanghai Putuo)

TEST(SchemaReal, ShanghaiIncomeTableInYuan) {
    Table t = run_one("real_dept2026_sh02.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "budget.sh.02");
    EXPECT_EQ(t.unit, "元");
    const auto* r = find_code(t.records, "2040699");
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->at("name"), "其他司法支出");
    EXPECT_DOUBLE_EQ(fv(*r, "合计"), 38454900.00);
    EXPECT_DOUBLE_EQ(fv(*r, "财政拨款收入"), 38454900.00);
    EXPECT_DOUBLE_EQ(fv(*find_key(t.records, "合计"), "合计"), 96282213.44);
    EXPECT_NE(find_code(t.records, "20805"), nullptr);
}

TEST(SchemaReal, ShanghaiTotalsTableTwoSided) {
    Table t = run_one("real_dept2026_sh01.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "budget.sh.01");
    const auto& inc = t.records["income"];
    EXPECT_DOUBLE_EQ(fv(*find_key(inc, "财政拨款收入.一般公共预算"), "预算数"), 96282213.44);
    EXPECT_DOUBLE_EQ(fv(*find_key(inc, "财政拨款收入.政府性基金预算"), "预算数"), 0.0);
    EXPECT_DOUBLE_EQ(fv(*find_key(inc, "收入总计"), "预算数"), 96282213.44);
    EXPECT_DOUBLE_EQ(fv(*find_key(t.records["expense"], "class:204"), "预算数"), 87267272.44);
}

TEST(SchemaReal, ContinuationOnNextPage) {
    Document d = doc_of({"real_dept2026_sh02.tsv", "real_dept2026_sh05_p1.tsv", "real_dept2026_sh05_p2.tsv"});
    apply_schemas(d, schemas(), lexicon());
    ASSERT_TRUE(d.tables[1].schema);
    EXPECT_EQ(*d.tables[1].schema, "budget.sh.05");
    ASSERT_TRUE(d.tables[2].continues);
    EXPECT_EQ(*d.tables[2].continues, 1);
    ASSERT_TRUE(d.tables[2].schema);
    EXPECT_EQ(*d.tables[2].schema, "budget.sh.05");
    EXPECT_EQ(d.tables[2].unit, "元");
    EXPECT_DOUBLE_EQ(fv(*find_code(d.tables[2].records, "2210203"), "合计"), 2433600.00);
    EXPECT_FALSE(d.tables[0].continues);
    EXPECT_FALSE(d.tables[1].continues);
}

TEST(SchemaReal, UntitledTableAfterADifferentLayoutIsNoContinuation) {
    // a headerless, titleless table whose columns differ from the previous one's
    Document d = doc_of({"real_dept2026_sh05_p1.tsv", "real_dept2026_sh09.tsv"});
    d.tables[1].title.clear();
    d.tables[1].page = 13;
    apply_schemas(d, schemas(), lexicon());
    EXPECT_FALSE(d.tables[1].continues);
}

TEST(SchemaReal, EconomicCodesSplitClassAndItem) {
    Table t = run_one("real_dept2026_sh08.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "budget.sh.08");
    EXPECT_DOUBLE_EQ(fv(*find_code(t.records, "30217"), "公用经费"), 8265.00);
    EXPECT_DOUBLE_EQ(fv(*find_code(t.records, "301"), "人员经费"), 23084662.00);
    EXPECT_EQ(find_code(t.records, "30231")->at("name"), "公务用车运行维护费");
}

TEST(SchemaReal, ThreePublicExpensesWithOperatingCosts) {
    Table t = run_one("real_dept2026_sh09.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "budget.sh.09");
    ASSERT_EQ(t.records.size(), 1u);
    const auto& r = t.records[0];
    EXPECT_DOUBLE_EQ(fv(r, "合计"), 10.81);
    EXPECT_DOUBLE_EQ(fv(r, "公务接待费"), 0.83);
    EXPECT_DOUBLE_EQ(fv(r, "公务用车购置及运行费.运行费"), 9.98);
    EXPECT_DOUBLE_EQ(fv(r, "机关运行经费"), 217.83);
}

TEST(SchemaReal, FinalTotalsAndTwoPanelBasicSpending) {
    Table t1 = run_one("real_finance2024_final01.tsv");
    ASSERT_TRUE(t1.schema);
    EXPECT_EQ(*t1.schema, "final.01");
    EXPECT_DOUBLE_EQ(fv(*find_key(t1.records["income"], "其他收入"), "决算数"), 6.20);
    EXPECT_DOUBLE_EQ(fv(*find_key(t1.records["income"], "年初结转和结余"), "决算数"), 49.14);
    EXPECT_NE(find_key(t1.records["income"], "使用非财政拨款结余"), nullptr);
    EXPECT_DOUBLE_EQ(fv(*find_key(t1.records["expense"], "class:221"), "决算数"), 445.69);

    Table t6 = run_one("real_finance2024_final06.tsv");
    ASSERT_TRUE(t6.schema);
    EXPECT_EQ(*t6.schema, "final.06");
    EXPECT_DOUBLE_EQ(fv(*find_code(t6.records, "30102"), "决算数"), 1238.58);
    EXPECT_DOUBLE_EQ(fv(*find_code(t6.records, "31002"), "决算数"), 13.58);
    EXPECT_EQ(find_code(t6.records, "31002")->at("panel"), 1);
    EXPECT_DOUBLE_EQ(fv(*find_key(t6.records, "人员经费合计"), "决算数"), 2152.26);
    EXPECT_DOUBLE_EQ(fv(*find_key(t6.records, "公用经费合计"), "决算数"), 184.65);
}

// ---------------------------------------------------------------- classification edge cases

TEST(SchemaClassify, OcrErrorInTitleStillMatches) {
    Table t = table_from_tsv(schema_data("seed002_final02.tsv"));
    t.title = "收人决算表";  // 入 → 人
    auto g = schema::analyse_grid(t);
    auto e = schema::classify_table(t, g, schemas());
    ASSERT_TRUE(e);
    EXPECT_EQ(e->id, "final.02");
}

TEST(SchemaClassify, UnknownTableGetsNoSchemaFinding) {
    Document d;
    Table t;
    t.page = 3;
    t.title = "政府采购情况表";
    t.n_rows = 2;
    t.n_cols = 2;
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 2; ++c) {
            Cell cell;
            cell.row = r;
            cell.col = c;
            cell.text = r == 0 ? (c == 0 ? "采购品目" : "数量") : (c == 0 ? "计算机" : "3");
            t.cells.push_back(cell);
        }
    d.tables.push_back(t);
    apply_schemas(d, schemas(), lexicon());
    EXPECT_FALSE(d.tables[0].schema);
    ASSERT_EQ(d.findings.size(), 1u);
    EXPECT_EQ(d.findings[0].kind, "no_schema");
    EXPECT_EQ(d.findings[0].table, 0);
}

TEST(SchemaClassify, HeaderDecidesBetweenFamiliesWithSameTitle) {
    // 部门支出总表 is both budget.std.03 and budget.hn.03: the funding-source
    // columns of the Hunan table decide.
    Table t = table_from_tsv(schema_data("seed000_hn04.tsv"));
    t.title = "部门支出总表";
    auto g = schema::analyse_grid(t);
    auto ranked = schema::rank_schemas(t, g, schemas());
    ASSERT_GE(ranked.size(), 2u);
    EXPECT_EQ(ranked[0].id, "budget.hn.03");
    double std03 = 0;
    for (const auto& e : ranked)
        if (e.id == "budget.std.03") std03 = e.confidence;
    EXPECT_GT(ranked[0].confidence, std03 + 0.05);
}

TEST(SchemaLexiconCorrection, OcrNameSnapsTextLayerNameKept) {
    Document d = doc_of({"seed000_hn13.tsv"});
    // an OCR'd name one character off
    Cell* name = nullptr;
    for (auto& c : d.tables[0].cells)
        if (c.text == "办公费") name = &c;
    ASSERT_NE(name, nullptr);
    name->text = "办公赀";
    name->source = Source::Ocr;
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(name->text, "办公费");
    EXPECT_EQ(name->raw_text, "办公赀");
    EXPECT_EQ(name->provenance["lexicon"]["code"], "30201");
    EXPECT_EQ(find_code(d.tables[0].records, "30201")->at("name"), "办公费");

    Document d2 = doc_of({"seed000_hn13.tsv"});
    for (auto& c : d2.tables[0].cells)
        if (c.text == "办公费") c.text = "办公赀";  // text layer: the page says so
    apply_schemas(d2, schemas(), lexicon());
    const auto* r = find_code(d2.tables[0].records, "30201");
    EXPECT_EQ(r->at("name"), "办公赀");
    EXPECT_EQ(r->at("lexicon_name"), "办公费");
}

// ---------------------------------------------------------------- metadata

TEST(SchemaMetadata, OrganisationYearKindLevel) {
    Document d = doc_of({"real_dept2026_sh01.tsv", "real_dept2026_sh02.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(d.metadata["organisation"], "上海市普陀区司法局");
    EXPECT_EQ(d.metadata["year"], 2026);
    EXPECT_EQ(d.metadata["kind"], "budget");
    EXPECT_EQ(d.metadata["level"], "county");
    EXPECT_EQ(schema::government_level("上海市普陀区人民政府万里街道办事处"), "township");
}

TEST(SchemaMetadata, NarrativeFactsLinkedToFields) {
    Document d = doc_of({"real_finance2024_final01.tsv"});
    PageResult p;
    p.page = 14;
    std::ifstream in(schema_data("real_finance2024_narrative.txt"));
    std::stringstream ss;
    ss << in.rdbuf();
    p.text = ss.str();
    d.pages.push_back(p);
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(d.metadata["kind"], "final");
    EXPECT_EQ(d.metadata["organisation"], "上海市普陀区财政局");
    const auto& facts = d.metadata["narrative_facts"];
    bool income = false, basic = false;
    for (const auto& f : facts) {
        if (f.value("concept", "") == "本年收入合计" && f["value"] == 2946.25) {
            income = true;
            EXPECT_EQ(f["page"], 14);
            EXPECT_EQ(f["unit"], "万元");
            EXPECT_NE(std::find(f["refs"].begin(), f["refs"].end(), "final.01:income.本年收入合计"), f["refs"].end());
        }
        if (f.value("concept", "") == "基本支出" && f["value"] == 2336.91) {
            basic = true;
            EXPECT_DOUBLE_EQ(f["share"].get<double>(), 79.49);
        }
    }
    EXPECT_TRUE(income);
    EXPECT_TRUE(basic);
}

TEST(SchemaClassify, EveryTitleOfTheRealPdfs) {
    // title only (no header, no rows): the title alone must name the table
    std::ifstream in(schema_data("real_titles.tsv"));
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        auto tab = line.find('\t');
        Table t;
        t.title = line.substr(0, tab);
        auto g = schema::analyse_grid(t);
        auto e = schema::classify_table(t, g, schemas());
        ASSERT_TRUE(e) << t.title;
        EXPECT_EQ(e->id, line.substr(tab + 1)) << t.title;
        ++n;
    }
    EXPECT_GE(n, 30);
}

// Header cells read by OCR snap to the schema's header vocabulary when one
// label is near; merged labels, far readings and text-layer cells stay as
// they are, and the raw reading is kept.
TEST(SchemaHeader, OcrHeaderCellsSnapToTheVocabulary) {
    Document d = doc_of({"seed002_final02.tsv"});
    Table& t = d.tables.at(0);
    auto set = [&](int r, int c, const std::string& text, Source src) {
        Cell* cell = t.at(r, c);
        ASSERT_NE(cell, nullptr) << r << "," << c;
        cell->text = cell->raw_text = text;
        cell->source = src;
    };
    set(0, 2, "本年收人合计", Source::Ocr);          // 入 read as 人
    set(0, 3, "财政拨款收入上级补助收入", Source::Ocr);  // two labels in one cell
    set(0, 5, "事业收入", Source::Ocr);               // right as read
    set(0, 6, "经营收人", Source::TextLayer);         // what the producer typed
    set(0, 7, "附属仪上其他", Source::Ocr);           // too far from any label
    apply_schemas(d, schemas(), lexicon());
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "final.02");
    EXPECT_EQ(t.at(0, 2)->text, "本年收入合计");
    EXPECT_EQ(t.at(0, 2)->raw_text, "本年收人合计");
    EXPECT_EQ(t.at(0, 2)->provenance["header_vocabulary"]["distance"], 1);
    EXPECT_EQ(t.at(0, 3)->text, "财政拨款收入上级补助收入");
    EXPECT_EQ(t.at(0, 5)->text, "事业收入");
    EXPECT_FALSE(t.at(0, 5)->provenance.contains("header_vocabulary"));
    EXPECT_EQ(t.at(0, 6)->text, "经营收人");
    EXPECT_EQ(t.at(0, 7)->text, "附属仪上其他");
    // Body cells are never touched by the header vocabulary.
    for (const auto& c : t.cells) {
        if (c.row < 3) continue;
        EXPECT_FALSE(c.provenance.contains("header_vocabulary")) << c.row << "," << c.col;
    }
}

// The list of units a final account consolidates (纳入…部门决算编制范围的单位
// 包括：) is printed in every real Shanghai final account; its title is a
// sentence cut where the line wraps. It maps to scope.units, one record per unit.
TEST(SchemaReal, UnitListOfAFinalAccount) {
    Table t = run_one("real_finance2024_units.tsv");
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "scope.units");
    ASSERT_TRUE(t.records.is_array());
    ASSERT_EQ(t.records.size(), 3u);
    EXPECT_EQ(t.records[0]["name"], "上海市普陀区财政局（本级）");
    EXPECT_EQ(t.records[1]["fields"]["备注"]["text"], "预算不单列，并入本级");
}

// The real Putuo final accounts print 公务用车购置及运行维护费 where the
// vocabulary (and the generated documents) say 公务用车购置及运行费: two
// characters more, read right by OCR. A reading that is a label with a
// whole word put in is the page's own wording and stays; a misread
// character still snaps.
TEST(SchemaHeader, LongerWordingOfALabelIsNotSnappedBack) {
    Document d = doc_of({"seed002_final07.tsv"});
    Table& t = d.tables.at(0);
    auto set = [&](int r, int c, const std::string& text) {
        Cell* cell = t.at(r, c);
        ASSERT_NE(cell, nullptr) << r << "," << c;
        cell->text = cell->raw_text = text;
        cell->source = Source::Ocr;
    };
    set(1, 2, "公务用车购置及运行维护费");  // as printed on real-putuo-social-work-dept-2024-final p10
    set(1, 8, "公务用车购置及运行弗");      // 费 misread
    apply_schemas(d, schemas(), lexicon());
    ASSERT_TRUE(t.schema);
    EXPECT_EQ(*t.schema, "final.07");
    EXPECT_EQ(t.at(1, 2)->text, "公务用车购置及运行维护费");
    EXPECT_FALSE(t.at(1, 2)->provenance.contains("header_vocabulary"));
    EXPECT_EQ(t.at(1, 8)->text, "公务用车购置及运行费");
}
