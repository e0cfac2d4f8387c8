// The validation stage on Documents built from the seed truth files (every
// cell read at confidence 0.99, as a clean scan would be): the seeds' real
// inconsistencies are reported and left as printed; perturbed OCR reads are
// corrected only when the identities single out one alternative; obscured
// cells are recovered when the identities or a duplicate table determine them
// and reported, never invented, when they do not.
#include "output/json_writer.hpp"
#include "schema/grid.hpp"
#include "schema/numbers.hpp"
#include "schema/records.hpp"
#include "schema/stage.hpp"
#include "schema/text.hpp"
#include "truth_doc.hpp"
#include "validate/candidates.hpp"
#include "validate/equations.hpp"
#include "validate/stage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include "../project_data.hpp"

#include <fstream>
#include <set>
#include <sstream>

using namespace fiscan;
using fiscan::testing::document_from_truth;
using fiscan::testing::map_tables;
using fiscan::testing::read_json;
using nlohmann::json;

namespace {

const SchemaSet& schemas() { return fiscan::testing::project_schemas(); }
const Lexicon& lexicon() { return fiscan::testing::project_lexicon(); }
ValidateOptions options() {
    ValidateOptions o = load_validate_options(std::string(FISCAN_SOURCE_DIR) + "/models");
    o.lexicon = &lexicon();
    return o;
}
json seed(const std::string& id) {
    static std::map<std::string, json> cache;
    auto it = cache.find(id);
    if (it == cache.end())
        it = cache.emplace(id, read_json(std::string(FISCAN_SOURCE_DIR) + "/corpus/truth/seeds/" + id + ".truth.json")).first;
    return it->second;
}
Document seed_doc(const std::string& id) {
    json t = seed(id);
    Document d = document_from_truth(t);
    map_tables(d, t, schemas(), lexicon());
    return d;
}

// findings on `table` covering (row, col)
std::vector<const Finding*> findings_at(const Document& d, int table, int row, int col) {
    std::vector<const Finding*> out;
    for (const auto& f : d.findings) {
        if (!f.table || *f.table != table) continue;
        for (auto [r, c] : f.cells)
            if (r == row && c == col) { out.push_back(&f); break; }
    }
    return out;
}
bool has_kind(const std::vector<const Finding*>& fs, const std::string& kind) {
    for (const auto* f : fs)
        if (f->kind == kind) return true;
    return false;
}

// Every cell text still what the truth says (nothing silently altered).
int altered_cells(const Document& d, const json& truth) {
    int n = 0;
    for (size_t ti = 0; ti < d.tables.size(); ++ti)
        for (const auto& cj : truth["tables"][ti]["cells"]) {
            const Cell* c = d.tables[ti].at(cj["row"].get<int>(), cj["col"].get<int>());
            if (!c || c->text != cj["text"].get<std::string>() || c->source == Source::Recovered) ++n;
        }
    return n;
}

void set_text(Cell& c, const std::string& text, double conf) {
    c.text = text;
    c.raw_text.clear();
    auto p = schema::parse_number(text);
    if (p.numeric) c.value = p.value; else c.value.reset();
    c.confidence = conf;
    c.source = Source::Ocr;
    c.readings.clear();
    Reading r;
    r.text = text;
    r.confidence = conf;
    r.engine = "tesseract-eng-digits";
    for (size_t i = 0; i < text.size(); ++i) {
        Symbol s;
        s.text = std::string(1, text[i]);
        s.prob = conf;
        r.symbols.push_back(s);
    }
    c.readings.push_back(r);
}

void obscure(Cell& c, const std::string& garbage = "") {
    c.obscured = true;
    c.text = garbage;
    c.raw_text.clear();
    c.value.reset();
    c.confidence = 0.2;
    c.source = Source::Ocr;
}

}  // namespace

// ---------------------------------------------------------------- seeds

TEST(ValidateSeeds, Seed002DigitLossReportedNotFixed) {
    Document d = seed_doc("seed002");
    validate_document(d, schemas(), options());
    // 公开04表 卫生健康支出: 合计 12.01 but 一般公共预算财政拨款 1.01 (domain-notes §6 #10)
    const Cell* c = d.tables[3].at(9, 6);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->text, "1.01");
    EXPECT_DOUBLE_EQ(*c->value, 1.01);
    EXPECT_FALSE(c->provenance.contains("corrected_by"));
    auto fs = findings_at(d, 3, 9, 6);
    ASSERT_FALSE(fs.empty());
    bool hard = false;
    for (const auto* f : fs)
        if (f->severity == "error" && std::abs(std::abs(f->detail["difference"].get<double>()) - 11.0) < 1e-6) hard = true;
    EXPECT_TRUE(hard) << "a hard mismatch of 11.00 on 卫生健康支出";
    EXPECT_EQ(altered_cells(d, seed("seed002")), 0);
}

TEST(ValidateSeeds, Seed000RoundingIsInfo) {
    Document d = seed_doc("seed000");
    validate_document(d, schemas(), options());
    // 表2 总计 407.36 vs 一般公共预算拨款 407.37 (§6 #1): a rounding finding, severity info
    auto fs = findings_at(d, 2, 1, 0);
    ASSERT_FALSE(fs.empty());
    const Finding* r = nullptr;
    for (const auto* f : fs)
        if (f->kind == "rounding") r = f;
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(r->severity, "info");
    EXPECT_NEAR(std::abs(r->detail["difference"].get<double>()), 0.01, 1e-9);
    EXPECT_EQ(d.tables[2].at(1, 0)->text, "407.36");
    // the 表3 code error (201|02 for 208 02) is a hard failure of the hierarchy
    auto code = findings_at(d, 3, 9, 4);
    EXPECT_TRUE(has_kind(code, "sum_mismatch"));
    EXPECT_EQ(altered_cells(d, seed("seed000")), 0);
}

TEST(ValidateSeeds, BlankTotalsAreMissingNotZero) {
    Document d = seed_doc("seed002");
    validate_document(d, schemas(), options());
    // 公开03表 合计 row printed empty (§6 #9)
    EXPECT_TRUE(has_kind(findings_at(d, 2, 3, 2), "missing_total"));
    EXPECT_TRUE(d.tables[2].at(3, 2)->text.empty());
    EXPECT_FALSE(d.tables[2].at(3, 2)->value.has_value());
    // 公开07表 公务接待费 0.40 vs 公开06表 30217 blank; no 项目支出 → equality (§6 #13)
    EXPECT_TRUE(has_kind(findings_at(d, 6, 4, 11), "cross_table_mismatch"));
    // 公开06表 302: 0.11 is not rounding (§6 #12), 301: 0.01 is (§6 #11)
    auto f302 = findings_at(d, 5, 1, 5);
    EXPECT_TRUE(has_kind(f302, "sum_mismatch"));
    EXPECT_FALSE(has_kind(f302, "rounding"));
    EXPECT_TRUE(has_kind(findings_at(d, 5, 1, 2), "rounding"));

    Document d3 = seed_doc("seed003");
    validate_document(d3, schemas(), options());
    // 财决公开01表 总计 cells empty on both sides (§6 #15)
    EXPECT_TRUE(has_kind(findings_at(d3, 0, 28, 2), "missing_total"));
    EXPECT_TRUE(has_kind(findings_at(d3, 0, 28, 5), "missing_total"));
    EXPECT_EQ(altered_cells(d3, seed("seed003")), 0);
}

// Every inconsistency of the seeds (domain-notes §6, corpus/truth/seeds) is
// reported, scored strictly: a finding must name one of the inconsistency's
// cells, in its table or as the other side (detail.other_table/other_cells) —
// narrative ones included (a narrative figure, a 类/款/项 the narrative files
// under another class, a subject named differently in two tables) — after the
// schema stage's lexicon pass, as in an extraction (a name that is not its
// code's: code_name_mismatch).
TEST(ValidateSeeds, EveryInconsistencyIsReportedAtItsCells) {
    int total = 0, found = 0;
    std::vector<std::string> missed;
    for (std::string id : {"seed000", "seed002", "seed003"}) {
        Document d = seed_doc(id);
        const int year = d.metadata.value("year", 0);
        for (size_t i = 0; i < d.tables.size(); ++i)
            if (d.tables[i].schema)
                schema::apply_lexicon(d.tables[i], static_cast<int>(i), *schemas().find(*d.tables[i].schema), lexicon(), year,
                                      d.findings);
        validate_document(d, schemas(), options());
        const json truth = seed(id);
        for (const auto& inc : truth["inconsistencies"]) {
            ++total;
            const int t = inc["table"].get<int>();
            bool ok = false;
            for (const auto& rc : inc["cells"]) {
                const int r = rc[0].get<int>(), c = rc[1].get<int>();
                ok |= !findings_at(d, t, r, c).empty();
                for (const auto& f : d.findings) {
                    if (f.detail.value("other_table", -1) != t) continue;
                    for (const auto& oc : f.detail.value("other_cells", json::array()))
                        ok |= oc[0].get<int>() == r && oc[1].get<int>() == c;
                }
            }
            found += ok;
            if (!ok) missed.push_back(id + ": " + inc["description"].get<std::string>());
        }
    }
    std::ostringstream m;
    for (const auto& s : missed) m << "\n  " << s;
    EXPECT_EQ(found, total) << "missed:" << m.str();
    EXPECT_GE(total, 30);
}

// …and no narrative finding is false: each names a cell of one of the seeds'
// inconsistencies. (A generic wording — 年初预算数 — after a specific subject
// states that subject; another year's figure, and a part of a figure whose
// scope is unknown, are not compared.)
TEST(ValidateSeeds, NarrativeFindingsNameRealInconsistencies) {
    for (std::string id : {"seed000", "seed002", "seed003"}) {
        Document d = seed_doc(id);
        validate_document(d, schemas(), options());
        const json truth = seed(id);
        std::set<std::tuple<int, int, int>> real;
        for (const auto& inc : truth["inconsistencies"])
            for (const auto& rc : inc["cells"]) real.insert({inc["table"].get<int>(), rc[0].get<int>(), rc[1].get<int>()});
        for (const auto& f : d.findings) {
            if (f.kind != "narrative_mismatch") continue;
            bool ok = false;
            for (auto [r, c] : f.cells) ok |= real.count({*f.table, r, c}) > 0;
            const int other = f.detail.value("other_table", -1);
            for (const auto& oc : f.detail.value("other_cells", json::array()))
                ok |= real.count({other, oc[0].get<int>(), oc[1].get<int>()}) > 0;
            EXPECT_TRUE(ok) << id << ": " << f.message;
        }
    }
}

// seed002 §五(一): "2020年度一般公共预算财政拨款支出790.76万元，占本年支出合计的
// 97.61%，与上年相比，…增加326.62万元" — 790.76 against 810.16 in 公开05表 (§6
// #14). The year-on-year wording comes after the figure: it makes the later
// figures changes, not this one, which used to be skipped with the sentence.
TEST(ValidateSeeds, NarrativeFigureBeforeYearOnYearWordingIsChecked) {
    Document d = seed_doc("seed002");
    validate_document(d, schemas(), options());
    const Finding* hit = nullptr;
    for (const auto* f : findings_at(d, 4, 3, 2))
        if (f->kind == "narrative_mismatch" && f->detail.value("stated", 0.0) == 790.76) hit = f;
    ASSERT_NE(hit, nullptr);
    EXPECT_EQ(hit->severity, "warning");
    EXPECT_DOUBLE_EQ(hit->detail.value("table_value", 0.0), 810.16);
    // the figures after 与上年相比 are changes: never compared with a table
    for (const auto& f : d.findings)
        if (f.kind == "narrative_mismatch") {
            EXPECT_NE(f.detail.value("stated", 0.0), 326.62) << f.message;
            EXPECT_NE(f.detail.value("stated", 0.0), 346.02) << f.message;
        }
}

TEST(ValidateSeeds, ConsistentFormsGiveNoFindings) {
    Document d = seed_doc("seed004");
    validate_document(d, schemas(), options());
    for (const auto& f : d.findings) ADD_FAILURE() << f.kind << ": " << f.message;
}

// ---------------------------------------------------------------- OCR correction

TEST(ValidateCorrection, LowConfidenceAlternativeIsCorrected) {
    Document d = seed_doc("seed002");
    // 公开05表 2010507 基本支出 121.06 read as 127.06, the engine's second choice for '7' being '1'
    Cell& c = *d.tables[4].at(8, 3);
    set_text(c, "127.06", 0.55);
    c.readings[0].symbols[2].alternatives.push_back({"1", 0.3});
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.text, "121.06");
    EXPECT_DOUBLE_EQ(*c.value, 121.06);
    EXPECT_EQ(c.raw_text, "127.06");
    EXPECT_EQ(c.source, Source::Ocr);
    ASSERT_TRUE(c.provenance.contains("corrected_by"));
    EXPECT_GE(c.provenance["corrected_by"].size(), 2u);   // the hierarchy and the row sum
    EXPECT_EQ(c.provenance["from"], "127.06");
    EXPECT_GT(c.confidence, 0.55);
    EXPECT_TRUE(findings_at(d, 4, 8, 3).empty());
}

TEST(ValidateCorrection, ConfusionWithoutAlternativesNeedsTheIdentities) {
    Document d = seed_doc("seed002");
    // 3↔8 confusion: 公开05表 221 小计 7.39 read as 7.89, no per-symbol alternatives
    Cell& c = *d.tables[4].at(12, 2);
    set_text(c, "7.89", 0.6);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.text, "7.39");
    EXPECT_EQ(c.provenance.value("how", ""), "confusion");
}

TEST(ValidateCorrection, ConfidentReadIsASourceError) {
    Document d = seed_doc("seed002");
    Cell& c = *d.tables[4].at(8, 3);
    set_text(c, "127.06", 0.98);
    c.readings[0].symbols[2].alternatives.push_back({"1", 0.3});
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.text, "127.06");
    EXPECT_FALSE(c.provenance.contains("corrected_by"));
    auto fs = findings_at(d, 4, 8, 3);
    ASSERT_FALSE(fs.empty());
    EXPECT_EQ(fs[0]->severity, "error");
}

TEST(ValidateCorrection, TextLayerIsNeverCorrected) {
    Document d = seed_doc("seed002");
    Cell& c = *d.tables[4].at(8, 3);
    set_text(c, "127.06", 0.3);
    c.source = Source::TextLayer;
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.text, "127.06");
    EXPECT_FALSE(findings_at(d, 4, 8, 3).empty());
}

TEST(ValidateCorrection, AmbiguousCandidatesAreNotApplied) {
    Document d = seed_doc("seed003");
    // 财决公开06表 301 = Σ 301xx is these items' only identity. 30102 16.78 read
    // 16.18 (alternative 7), and 30110 6.25 read at low confidence with an
    // alternative 6.85 that would balance the block just as well.
    Cell& a = *d.tables[5].at(4, 2);
    Cell& b = *d.tables[5].at(10, 2);
    set_text(a, "16.18", 0.5);
    a.readings[0].symbols[3].alternatives.push_back({"7", 0.4});
    set_text(b, "6.25", 0.5);
    b.readings[0].symbols[2].alternatives.push_back({"8", 0.3});
    validate_document(d, schemas(), options());
    EXPECT_EQ(a.text, "16.18");
    EXPECT_EQ(b.text, "6.25");
    auto fs = findings_at(d, 5, 4, 2);
    ASSERT_FALSE(fs.empty());
    bool listed = false;
    for (const auto* f : fs)
        if (f->detail.contains("ambiguous_corrections")) listed = f->detail["ambiguous_corrections"].size() == 2;
    EXPECT_TRUE(listed);
}

TEST(ValidateCorrection, OtherIdentitiesDecideBetweenCandidates) {
    Document d = seed_doc("seed002");
    // two low-confidence cells of one row sum, each with an alternative that would fit
    Cell& a = *d.tables[4].at(8, 2);  // 小计 121.06 → 127.06
    Cell& b = *d.tables[4].at(8, 3);  // 基本支出 121.06 (right), alternative 127.06
    set_text(a, "127.06", 0.5);
    set_text(b, "121.06", 0.5);
    b.readings[0].symbols[2].alternatives.push_back({"7", 0.4});
    a.readings[0].symbols[2].alternatives.push_back({"1", 0.4});
    // 121.06 is also fixed by the hierarchy 20105 = Σ 项 on both columns, so the
    // 小计 column decides: only a's alternative makes every identity hold.
    validate_document(d, schemas(), options());
    EXPECT_EQ(a.text, "121.06");
    EXPECT_EQ(b.text, "121.06");
    EXPECT_FALSE(b.provenance.contains("corrected_by"));
}

TEST(ValidateCorrection, Candidates) {
    validate::ValidateSettings st;
    Cell c;
    set_text(c, "1.01", 0.5);
    auto cands = validate::candidates(c, st);
    std::set<std::string> texts;
    for (const auto& k : cands) texts.insert(k.text);
    EXPECT_TRUE(texts.count("12.01"));   // a dropped digit
    EXPECT_TRUE(texts.count("7.01"));    // 1↔7
    EXPECT_TRUE(texts.count("101"));     // lost decimal point
    EXPECT_FALSE(texts.count("1.01"));   // never the reading itself
}

// ---------------------------------------------------------------- recovery

TEST(ValidateRecovery, ObscuredCellInAColumnWithATotalIsRecovered) {
    Document d = seed_doc("seed002");
    // 公开05表 2100410 基本支出 12.01 under a blot
    Cell& c = *d.tables[4].at(11, 3);
    obscure(c, "1?.");
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    ASSERT_TRUE(c.value.has_value());
    EXPECT_DOUBLE_EQ(*c.value, 12.01);
    EXPECT_EQ(c.text, "12.01");
    EXPECT_EQ(c.raw_text, "1?.");
    ASSERT_TRUE(c.provenance.contains("recovered_by"));
    EXPECT_FALSE(c.provenance["recovered_by"].empty());
    EXPECT_GT(c.confidence, 0.8);
    for (const auto& f : d.findings) EXPECT_NE(f.kind, "unrecoverable") << f.message;
}

TEST(ValidateRecovery, DuplicateTableDecides) {
    Document d = seed_doc("seed000");
    // 表5 30103 奖金 11.57; 表12 prints the same table. (Not 30102 津贴补贴: the
    // seed's 基本支出情况表 books its 13.55 under 30107, so the tables contradict
    // each other there and nothing determines it — domain-notes §6 #6.)
    Cell& c = *d.tables[5].at(4, 2);
    obscure(c);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_DOUBLE_EQ(c.value.value_or(-1), 11.57);
    bool dup = false;
    for (const auto& id : c.provenance["recovered_by"]) dup |= id.get<std::string>().find("dup") != std::string::npos;
    EXPECT_TRUE(dup) << c.provenance.dump();
}

TEST(ValidateRecovery, TwoUnknownsAreUnrecoverable) {
    Document d = seed_doc("seed002");
    // 公开06表 30201 办公费 98.79 and 30206 电费 18.51: both items of 302 obscured
    Cell& a = *d.tables[5].at(2, 5);
    Cell& b = *d.tables[5].at(7, 5);
    obscure(a, "9");
    obscure(b);
    a.bbox = {510, 80, 600, 120};
    validate_document(d, schemas(), options());
    for (Cell* c : {&a, &b}) {
        EXPECT_NE(c->source, Source::Recovered);
        EXPECT_FALSE(c->value.has_value());
        EXPECT_TRUE(c->text.empty());
    }
    EXPECT_EQ(a.raw_text, "9");
    auto fs = findings_at(d, 5, 2, 5);
    ASSERT_TRUE(has_kind(fs, "unrecoverable"));
    for (const auto* f : fs)
        if (f->kind == "unrecoverable") {
            EXPECT_EQ(f->detail["bbox"], json({510, 80, 600, 120}));
        }
    EXPECT_TRUE(has_kind(findings_at(d, 5, 7, 5), "unrecoverable"));
}

TEST(ValidateRecovery, SubjectNameFromTheCode) {
    Document d = seed_doc("seed000");
    Cell& c = *d.tables[5].at(2, 1);  // 30101 基本工资
    obscure(c, "基本");
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_EQ(c.text, "基本工资");
}

// A name cell flagged obscured whose reading already is the lexicon's name for
// its code (a light stain; on a typical scan of seed002 the schema stage had
// snapped the page's 文物和陈制品购置 to 文物和陈列品购置): nothing is recovered —
// the scorer counted it a false recovery against the page's text.
TEST(ValidateRecovery, NameAlreadyReadIsNotRecovered) {
    Document d = seed_doc("seed000");
    Cell& c = *d.tables[5].at(2, 1);  // 30101 基本工资
    obscure(c, "基本工资");
    validate_document(d, schemas(), options());
    EXPECT_NE(c.source, Source::Recovered);
    EXPECT_FALSE(c.provenance.contains("recovered_by"));
    EXPECT_EQ(c.text, "基本工资");
}

// ---------------------------------------------------------------- calibration

TEST(ValidateCalibration, CurvesApplyByClass) {
    validate::Calibration cal;
    cal.classes["*|numeric|arith_ok+single"] = {{0.0, 0.5, 1.0}, {0.1, 0.6, 0.99}, 100};
    const auto* cv = cal.find("tesseract-eng-digits", "numeric", "arith_ok+single");
    ASSERT_NE(cv, nullptr);
    EXPECT_NEAR(cv->apply(0.75), 0.795, 1e-9);
    EXPECT_EQ(cal.find("tesseract-eng-digits", "text", "arith_none+single"), nullptr);

    Document d = seed_doc("seed002");
    ValidateOptions o = options();
    o.calibration = cal;
    validate_document(d, schemas(), o);
    const Cell* c = d.tables[4].at(8, 3);  // in holding identities
    EXPECT_EQ(c->provenance["confidence"]["class"], "tesseract-eng-digits|numeric|arith_ok+single");
    EXPECT_NEAR(c->confidence, cv->apply(0.99), 1e-4);
}

TEST(ValidateCalibration, FittedFileLoads) {
    auto cal = validate::load_calibration(std::string(FISCAN_TEST_DATA) + "/validate/cells.ci-fit.json");
    ASSERT_FALSE(cal.empty());
    for (const auto& [k, cv] : cal.classes) {
        ASSERT_EQ(cv.x.size(), cv.y.size()) << k;
        for (size_t i = 1; i < cv.y.size(); ++i) EXPECT_LE(cv.y[i - 1], cv.y[i]) << k;
        for (double y : cv.y) EXPECT_TRUE(y >= 0 && y <= 1) << k;
    }
    // exact class, then the pooled fallbacks
    EXPECT_EQ(cal.find("tesseract-eng-digits", "numeric", "arith_none+single"),
              &cal.classes.at("tesseract-eng-digits|numeric|arith_none+single"));
    EXPECT_EQ(cal.find("ppocr-v4", "text", "arith_ok+agree"), &cal.classes.at("*|text|*"));
    // text cells on which the two engines disagree were right 8 % of the time
    EXPECT_LT(cal.find("ppocr-v4", "text", "arith_none+disagree")->apply(0.9), 0.3);

    EXPECT_TRUE(validate::load_calibration("/nonexistent/cells.json").empty());
    std::string bad = (std::filesystem::temp_directory_path() / "fiscan_bad_cells.json").string();
    std::ofstream(bad) << R"({"classes": {"*|*|*": {"x": [0.5, 0.1], "y": [0.2, 0.3]}}})";
    EXPECT_THROW(validate::load_calibration(bad), std::runtime_error);
    std::filesystem::remove(bad);
}

// ---------------------------------------------------------------- CLI

namespace {
int run_cli(const std::string& args, std::string* out = nullptr) {
    std::string tmp = (std::filesystem::temp_directory_path() / ("fiscan_validate_out_" + std::to_string(::getpid()))).string();
    std::string cmd = std::string(FISCAN_BINARY) + " validate " + args + " >" + tmp + " 2>/dev/null";
    int rc = std::system(cmd.c_str());
    if (out) {
        std::ifstream in(tmp);
        std::stringstream ss;
        ss << in.rdbuf();
        *out = ss.str();
    }
    std::filesystem::remove(tmp);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}
std::string write_doc(const Document& d, const std::string& name) {
    std::string p = (std::filesystem::temp_directory_path() / (name + std::to_string(::getpid()) + ".json")).string();
    std::ofstream(p) << output::to_json(d).dump();
    return p;
}
}  // namespace

TEST(ValidateCli, ExitStatusFollowsTheIdentities) {
    Document d = seed_doc("seed002");
    std::string bad = write_doc(d, "fiscan_validate_seed002_");
    std::string out;
    EXPECT_EQ(run_cli(bad, &out), 1);
    EXPECT_NE(out.find("final.04:expense_row"), std::string::npos) << out;

    // only 公开05表, which adds up
    Document ok = d;
    ok.tables = {d.tables[4]};
    ok.pages.clear();
    std::string good = write_doc(ok, "fiscan_validate_final05_");
    EXPECT_EQ(run_cli(good, &out), 0) << out;

    // a hand edit that breaks it: 2010507 小计 121.06 → 121.60
    for (auto& c : ok.tables[0].cells)
        if (c.row == 8 && c.col == 2) c.text = "121.60";
    std::string edited = write_doc(ok, "fiscan_validate_edited_");
    EXPECT_EQ(run_cli(edited + " --json", &out), 1);
    json fs = json::parse(out);
    ASSERT_TRUE(fs.is_array());
    EXPECT_FALSE(fs.empty());

    // The contract allows nulls (no kind known, untitled tables): the same
    // verdict, not a type error.
    json withnulls = output::to_json(ok);
    withnulls["metadata"]["kind"] = nullptr;
    for (auto& t : withnulls["tables"]) {
        t["title"] = nullptr;
        t["numbering"] = nullptr;
        t["unit"] = nullptr;
    }
    std::string nulls = (std::filesystem::temp_directory_path() / ("fiscan_validate_nulls_" + std::to_string(::getpid()) + ".json")).string();
    std::ofstream(nulls) << withnulls.dump();
    EXPECT_EQ(run_cli(nulls, &out), 1) << out;
    std::filesystem::remove(nulls);

    std::string junk = (std::filesystem::temp_directory_path() / "fiscan_validate_junk.json").string();
    std::ofstream(junk) << "not json";
    EXPECT_EQ(run_cli(junk), 2);
    EXPECT_EQ(run_cli("/nonexistent/x.json"), 2);
    for (const auto& p : {bad, good, edited, junk}) std::filesystem::remove(p);
}

// ---------------------------------------------------------------- a real OCR output

// The OCR pipeline's reading of a damaged scan (tests/data/validate/README.md):
// the blotted 合计 and two garbled reads are determined by the row sums.
TEST(ValidateRealOutput, DamagedScanCellsRecovered) {
    json j = read_json(std::string(FISCAN_TEST_DATA) + "/validate/gen-final-p6-damaged.pre.json");
    Document d = output::from_json(j);
    ASSERT_EQ(d.tables.size(), 1u);
    validate_document(d, schemas(), options());
    struct Want { int row, col; double value; std::string raw; };
    for (const Want& w : {Want{5, 4, 550.09, "O"}, Want{9, 4, 24.09, " 240g"}, Want{12, 5, 24.85, "P 24.85"}}) {
        const Cell* c = d.tables[0].at(w.row, w.col);
        ASSERT_NE(c, nullptr);
        EXPECT_EQ(c->source, Source::Recovered) << w.row << "," << w.col;
        EXPECT_NEAR(c->value.value_or(-1), w.value, 1e-9) << w.row << "," << w.col;
        EXPECT_EQ(c->raw_text, w.raw);
    }
    // nothing else was recovered or corrected
    int changed = 0;
    for (const auto& c : d.tables[0].cells)
        changed += c.provenance.contains("recovered_by") || c.provenance.contains("corrected_by");
    EXPECT_EQ(changed, 3);
    // every non-empty cell carries its evidence class
    for (const auto& c : d.tables[0].cells)
        if (!c.text.empty()) {
            EXPECT_TRUE(c.provenance.contains("confidence")) << c.row << "," << c.col;
        }
}

// A speck read in a column that prints zero amounts blank: the identities
// determine zero, so the cell is blank, as printed — not "0.00".
TEST(ValidateRecovery, DeterminedZeroFollowsTheColumnConvention) {
    Document d = seed_doc("seed002");
    Cell& garbage = *d.tables[4].at(8, 4);   // 公开05表 2010507 项目支出 (column blank throughout)
    garbage.text = "|";
    garbage.source = Source::Ocr;
    garbage.confidence = 0.3;
    Cell& speck = *d.tables[4].at(11, 4);    // 2100410 项目支出 read "2", the engine's second choice "0"
    set_text(speck, "2", 0.4);
    speck.readings[0].symbols[0].alternatives.push_back({"0", 0.3});
    validate_document(d, schemas(), options());
    for (Cell* c : {&garbage, &speck}) {
        EXPECT_TRUE(c->text.empty()) << c->text;
        EXPECT_FALSE(c->value.has_value());
        EXPECT_EQ(c->source, Source::Empty);
        EXPECT_TRUE(c->provenance.value("blank", false));
    }
    EXPECT_EQ(garbage.raw_text, "|");
    EXPECT_EQ(speck.raw_text, "2");
    EXPECT_TRUE(findings_at(d, 4, 8, 4).empty());
    EXPECT_TRUE(findings_at(d, 4, 11, 4).empty());
}

// ---------------------------------------------------------------- damaged scans: merged cells, mis-mapped columns

namespace {

Document real_pre(const std::string& name) {
    return output::from_json(read_json(std::string(FISCAN_TEST_DATA) + "/validate/" + name));
}

const Finding* equation_finding(const Document& d, const std::string& identity, const std::string& compared) {
    for (const auto& f : d.findings)
        if (f.detail.value("identity", "") == identity && f.detail.value("compared", "") == compared) return &f;
    return nullptr;
}

bool changed_by(const Cell& c, const std::string& identity) {
    for (const char* k : {"recovered_by", "corrected_by"}) {
        if (!c.provenance.contains(k) || !c.provenance[k].is_array()) continue;
        for (const auto& id : c.provenance[k])
            if (id.get<std::string>() == identity) return true;
    }
    return false;
}

}  // namespace

// A stain hid the ruling between the subject name and the first amount of row
// 6 of a real 支出决算 page (tests/data/validate/README.md): one merged cell
// covers the name and the 基本支出 slot. The column sum 20805 = Σ its children
// then lacks a term; it used to be evaluated without it (a hard failure of
// 446.11 that could "correct" a legible cell) and is now incomplete: a warning
// naming the covered slot, never used to correct or recover.
TEST(ValidateDamaged, TermUnderAMergedCellMakesTheSumIncomplete) {
    Document d = real_pre("planning-p14-15-damaged.pre.json");
    validate_document(d, schemas(), options());
    const Finding* f = equation_finding(d, "final.05:hierarchy", "20805/基本支出");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, "warning");
    ASSERT_TRUE(f->detail.contains("covered_terms")) << f->detail.dump();
    EXPECT_EQ(f->detail["covered_terms"], json({{0, 6, 2}}));
    for (const auto& c : d.tables[0].cells) {
        if (c.col == 2) {
            EXPECT_FALSE(changed_by(c, "final.05:hierarchy")) << c.row;
        }
    }
}

// The same page: a stain over 项目支出 of 22001 hid the rulings of three rows,
// so one obscured cell covers the amounts of 22001, 2200150 and 2200199. A
// value recovered there would stand for all three: it is left unrecovered.
TEST(ValidateDamaged, CellMergedOverOtherAmountsIsNotRecovered) {
    Document d = real_pre("planning-p14-15-damaged.pre.json");
    const Cell& merged = *d.tables[0].at(19, 4);
    ASSERT_EQ(merged.row_span, 3);
    validate_document(d, schemas(), options());
    EXPECT_NE(merged.source, Source::Recovered);
    EXPECT_FALSE(merged.value.has_value());
    bool reported = false;
    for (const auto* f : findings_at(d, 0, 19, 4))
        if (f->kind == "unrecoverable") {
            reported = true;
            EXPECT_EQ(f->detail.value("reason", ""), "merged over the cell of another field");
        }
    EXPECT_TRUE(reported);
    // the continuation page's own obscured 基本支出 of 2210201 is still recovered by its row
    const Cell& c = *d.tables[1].at(1, 3);
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_NEAR(c.value.value_or(-1), 289.59, 1e-9);
}

// An older extraction of that page mapped the merged header 合计基本支出 onto
// the wrong columns: 小计 = 基本支出 + 项目支出 then reads col3 = col2 + col4,
// which holds only where 项目支出 is 0 (a = b + 0 holds either way) and fails on
// every row with a project amount. It used to "recover" 1892.91 for the blotted
// 项目支出 of 22001 (truth 2122.09) and to correct two cells; a contradicted
// identity now neither corrects nor recovers in that table.
TEST(ValidateDamaged, ContradictedIdentityNeitherCorrectsNorRecovers) {
    Document d = real_pre("planning-p14-15-damaged.older.pre.json");
    validate_document(d, schemas(), options());
    for (const auto& c : d.tables[0].cells) {
        EXPECT_FALSE(changed_by(c, "final.05:row_小计")) << c.row << "," << c.col << " " << c.text;
        EXPECT_NE(c.source, Source::Recovered) << c.row << "," << c.col << " " << c.text;
    }
    EXPECT_EQ(d.tables[0].at(7, 2)->text, "22512");
}

// A real 基本支出 page (budget.std.06) that starts with the 302 lines of a table
// whose beginning is on the page before: the 302xx codes have no parent here.
// 合计 = Σ top-level codes used to count them as top-level lines and determined
// the blotted 公用经费 of 30204 as 281400.00 (truth 2,000.00); that total is now
// incomplete. Its row 合计 = 人员经费 + 公用经费 cannot decide either: the
// printed 2,000.00 is one cell merged over 合计 and 人员经费, so using it meant
// guessing that 人员经费 is blank. The cell stays unrecovered, and no identity
// offers a value for it.
TEST(ValidateDamaged, TotalOverCodesWithoutTheirParentIsIncomplete) {
    Document d = real_pre("govoffice-p19-20-damaged.pre.json");
    const Cell& c = *d.tables[0].at(0, 5);
    ASSERT_TRUE(c.obscured);
    ASSERT_EQ(d.tables[0].at(0, 4), d.tables[0].at(0, 3));  // one cell over 合计 and 人员经费
    validate_document(d, schemas(), options());
    EXPECT_NE(c.source, Source::Recovered);
    EXPECT_FALSE(c.value.has_value());
    const Finding* f = equation_finding(d, "budget.sh.08:hierarchy", "合计/合计");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, "warning");
    ASSERT_TRUE(f->detail.contains("missing_terms"));
    EXPECT_EQ(f->detail["missing_terms"][0], "parent of 30204");
    bool reported = false;
    for (const auto* u : findings_at(d, 0, 0, 5))
        if (u->kind == "unrecoverable") {
            reported = true;
            EXPECT_EQ(u->detail.value("reason", ""), "no identity determines it");
            EXPECT_FALSE(u->detail.contains("candidates"));
        }
    EXPECT_TRUE(reported);
}

// A real 收支总表 page of a damaged scan: 合计 of 20132 (1,075,000) under a blot
// is determined by its row; the recovered amount is printed like the column's
// others, with thousands grouped.
TEST(ValidateDamaged, RecoveredAmountFollowsTheColumnsGrouping) {
    Document d = real_pre("wanli-p10-11-damaged.pre.json");
    const Cell& c = *d.tables[0].at(8, 4);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_NEAR(c.value.value_or(-1), 1075000.0, 1e-9);
    EXPECT_EQ(c.text, "1,075,000");
}

// A typical scan of a real 收支总表: two empty amount slots of 国有资本经营预算
// read as unsure CJK characters (上定复司 at 0.0, 售 at 0.03). They used to
// count as blank labels; in a row stating amounts they are unknown, and the row
// identity determines zero there — left blank, as the column prints zero.
TEST(ValidateDamaged, UnsureCjkReadOfAnAmountIsUnknown) {
    Document d = real_pre("deptbudget-p14-15-typical.older.pre.json");
    validate_document(d, schemas(), options());
    for (int row : {3, 5}) {
        const Cell& c = *d.tables[0].at(row, 5);
        EXPECT_TRUE(c.text.empty()) << row << " " << c.text;
        EXPECT_FALSE(c.value.has_value());
        EXPECT_FALSE(c.raw_text.empty());
        EXPECT_TRUE(c.provenance.contains("recovered_by")) << row;
    }
}

// A damaged real 一般公共预算支出功能分类 page (budget.sh.05, page 3 of the
// damaged corpus plan's real-putuo-commerce-2025-budget.p13-15.damaged): a
// stain hides 基本支出 of 2011350 (truth 2,901,820.00). Two misreads elsewhere:
// the code of 2011399 lost its digits ("201 13 -99": a row with amounts and no
// code), and a line of the 20805 block is misread, so that block fails in two
// columns. The 20805 failures used to make the whole hierarchy of the table
// "contradicted" and nothing was recovered; trust is now judged per block,
// and a block holding a row without a code is incomplete only in the columns
// where that row states an amount (项目支出 and 合计 here, not 基本支出).
TEST(ValidateDamaged, MisreadBlockDoesNotSilenceTheOthers) {
    Document d = real_pre("commerce-p15-damaged.pre.json");
    const Cell& c = *d.tables[0].at(7, 5);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_EQ(c.text, "2,901,820.00");
    EXPECT_TRUE(changed_by(c, "budget.sh.05:hierarchy"));
    const Finding* f = equation_finding(d, "budget.sh.05:hierarchy", "20113/合计");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->severity, "warning");
    ASSERT_TRUE(f->detail.contains("missing_terms"));
    EXPECT_EQ(f->detail["missing_terms"][0], "row 8 without a code");
    // The failing 20805 block decides nothing inside itself.
    for (int r = 13; r <= 17; ++r)
        for (int k = 4; k <= 6; ++k) {
            const Cell* x = d.tables[0].at(r, k);
            ASSERT_NE(x, nullptr);
            EXPECT_NE(x->source, Source::Recovered) << r << "," << k;
            EXPECT_FALSE(x->provenance.contains("corrected_by")) << r << "," << k;
        }
    const Finding* g = equation_finding(d, "budget.sh.05:hierarchy", "20805/合计");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ(g->severity, "error");
}

// A damaged real 基本支出 page (budget.sh.08, page 2 of the damaged corpus plan's
// real-putuo-dept-budget-2026.p18-20.damaged.s2): damage erased the rulings of
// 公用经费 over five lines, so one cell (11,5) covers 30199's 0.00 and the
// amounts of 302, 30201, 30202, 30204 (2,141,724.44 …). The column prints
// zeros in the 301 block, which made the hidden slots look "blank by column":
// 0.00 was recovered for the merged cell and 760.00 for 30204's 人员经费 (truth
// 0.00 — the 760.00 is its 公用经费, under the merge). A cell merged down over
// other lines is damage: neither is determined now.
TEST(ValidateDamaged, CellMergedDownIsNeverBlankByColumn) {
    Document d = real_pre("deptbudget-p19-damaged.pre.json");
    const Cell& merged = *d.tables[0].at(11, 5);
    ASSERT_EQ(merged.row_span, 5);
    validate_document(d, schemas(), options());
    EXPECT_NE(merged.source, Source::Recovered);
    EXPECT_FALSE(merged.provenance.contains("recovered_by"));
    const Cell& c = *d.tables[0].at(15, 4);
    EXPECT_NE(c.source, Source::Recovered);
    EXPECT_FALSE(c.value.has_value() && *c.value == 760.0);
}

// A damaged real 收入支出决算总表 (final.01, page 1 of
// real-putuo-finance-2024-final.p6-8.damaged.s2): a stain hides 其他收入 6.20;
// its edge made the blank 附属单位上缴收入 read "2" at confidence 0.0. With
// that "2" taken at its word, 本年收入合计 determined 4.20. An amount read at
// almost no confidence vouches for nothing: (9,1) stays unrecovered.
TEST(ValidateDamaged, UnsureNeighbourDoesNotDetermine) {
    Document d = real_pre("finance-p6-damaged.pre.json");
    const Cell& hidden = *d.tables[0].at(9, 1);
    ASSERT_TRUE(hidden.obscured);
    ASSERT_EQ(d.tables[0].at(8, 1)->text, "2");
    validate_document(d, schemas(), options());
    EXPECT_NE(hidden.source, Source::Recovered);
    EXPECT_FALSE(hidden.value.has_value());
    EXPECT_EQ(d.tables[0].at(8, 1)->text, "2");   // and it is not corrected either: left as read
    bool reported = false;
    for (const auto* f : findings_at(d, 0, 9, 1)) reported |= f->kind == "unrecoverable";
    EXPECT_TRUE(reported);
}

// ---------------------------------------------------------------- damaged corpus: false recoveries refused

namespace {

// A fixture as the stage receives it: scripts/undo-validation leaves `value`
// null where it gave a cell its reading back; values follow the text, as
// `fiscan validate` and the schema stage make them.
Document real_pre_values(const std::string& name) {
    Document d = real_pre(name);
    for (auto& t : d.tables)
        for (auto& c : t.cells) {
            if (!c.value && c.kind != CellKind::Numeric) continue;
            auto p = schema::parse_number(c.text);
            if (p.numeric) c.value = p.value;
            else c.value.reset();
        }
    return d;
}

// the reason of the `unrecoverable` finding at a cell, "" when there is none
std::string unrecoverable_reason(const Document& d, int table, int row, int col) {
    for (const auto* f : findings_at(d, table, row, col))
        if (f->kind == "unrecoverable") return f->detail.value("reason", "");
    return "";
}

}  // namespace

// A real budget page (budget.sh.03, page 3 of the damaged acceptance set's
// real-putuo-unit-budget-2026.p9-11.damaged) that ends in the middle of the
// table: block 20805 goes on (2080506, 2080599) on the page the cut left out,
// and no 合计 closes the table. 20805 = 2080501 + 2080505 "determined"
// 2,364,617.00 for both blotted amounts of 2080505 (truth 1,572,307.00). A
// block still open at the table's last line determines nothing unless another
// column shows it complete; here the only other column (项目支出) is all zero.
TEST(ValidateDamaged, BlockOpenAtTheTablesEndDoesNotDetermine) {
    Document d = real_pre_values("unitbudget-p9-11-damaged.pre.json");
    ASSERT_EQ(d.tables[2].schema.value_or(""), "budget.sh.03");
    validate_document(d, schemas(), options());
    for (int col : {4, 5}) {
        const Cell& c = *d.tables[2].at(14, col);
        EXPECT_NE(c.source, Source::Recovered) << col;
        EXPECT_FALSE(c.value.has_value()) << col;
        EXPECT_EQ(unrecoverable_reason(d, 2, 14, col), "the table may go on past its last line") << col;
    }
}

// The same document, page 2 (budget.sh.02): the 项 code 01 of 住房公积金 was
// read as one cell spanning 住房改革支出's row and its own, so the schema stage
// gave 2210201 to 住房改革支出 and left 住房公积金 with 22102. That block
// "22102 = 2210201 + 2210203" determined 5,931,459.00 for the blotted
// 财政拨款收入 of 住房公积金 (truth 1,791,459.00); in the 合计 column the same
// block fails (1,791,459 ≠ 3,861,459 + 2,070,000). A block failing in another
// column determines nothing.
TEST(ValidateDamaged, BlockFailingInAnotherColumnDoesNotDetermine) {
    Document d = real_pre_values("unitbudget-p9-11-damaged.pre.json");
    const Cell& c = *d.tables[1].at(7, 5);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_NE(c.source, Source::Recovered);
    EXPECT_FALSE(c.value.has_value());
    EXPECT_EQ(unrecoverable_reason(d, 1, 7, 5), "its block fails in another column");
}

// A real 基本支出 page (budget.sh.08, page 3 of
// real-putuo-wanli-street-2025-budget.p25-27.damaged.s2) ending inside block
// 302 (30201, 30204 here; the rest on the page the cut left out). The stained
// 合计 of 30201 (truth 4,333,478) was "determined" 10,817,702 by 302 = 30201 +
// 30204. The block is open at the table's end and fails in the 公用经费 column.
TEST(ValidateDamaged, LastBlockOfACutTableDoesNotDetermine) {
    Document d = real_pre_values("wanli-p25-27-damaged.pre.json");
    const Cell& c = *d.tables[2].at(14, 4);
    validate_document(d, schemas(), options());
    EXPECT_NE(c.source, Source::Recovered);
    EXPECT_FALSE(c.value.has_value() && *c.value == 10817702.0);
}

// A generated budget.std.05 page (gen-budget-std-s1-0003.p8-10.damaged): the
// merged header 小计|人员经费公用经费 made the schema stage map 人员经费 → col 3,
// 公用经费 → col 4, 小计 → col 5 (truth: 小计, 人员经费, 公用经费). 合计 = 小计 +
// 项目支出 then reads col 2 = col 5 + col 6 and fails on every line (no line
// states three non-zero amounts, so none is "informative"); it "recovered"
// 46.39 for the collapsed 0,00 of 2210201's col 5 (truth 0.00), a value that
// breaks 22102 = 2210201 in that column. An identity that fails on most lines
// and holds on none is not trusted, and a recovered value that breaks a
// complete identity is put back. The blotted 合计 of 22102 (46.39) is still
// recovered, from 221 = 22102.
TEST(ValidateDamaged, IdentityFailingOnEveryLineDoesNotRecover) {
    Document d = real_pre_values("genstd-p8-10-damaged.pre.json");
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables[0].at(14, 5);
    EXPECT_NE(c.source, Source::Recovered);
    EXPECT_FALSE(c.value.has_value() && *c.value == 46.39);
    const Cell& total = *d.tables[0].at(13, 2);
    ASSERT_TRUE(total.obscured);
    EXPECT_EQ(total.source, Source::Recovered);
    EXPECT_NEAR(total.value.value_or(-1), 46.39, 1e-9);
}

// A damaged real 收入支出决算总表 continued on a second page (final.01, page 2 of
// real-putuo-finance-2024-final.p6-8.damaged): stains cover the income side's
// 决算数 column of the continuation, which reads as text ("（）", "总"), so the
// schema stage took the whole page as the income side and gave the expense
// side's 年末结转和结余 55.34 and its obscured 总计 to 年初结转和结余 and the
// income 总计. income 总计 = 本年收入合计 + 年初结转和结余 then "recovered"
// 3001.59 for the expense 总计 (truth 2,995.39). A continuation is split into
// sides where its origin is: the expense amounts stay on the expense side and
// nothing is recovered into them from the income identity.
TEST(ValidateDamaged, ContinuationKeepsItsOriginsSides) {
    Document d = real_pre_values("finance-p6-8-damaged.pre.json");
    for (auto& t : d.tables) t.records = nullptr;
    apply_schemas(d, schemas(), lexicon());
    ASSERT_GE(d.tables.size(), 2u);
    const Table& cont = d.tables[1];
    ASSERT_EQ(cont.continues.value_or(-1), 0);
    ASSERT_EQ(cont.schema.value_or(""), "final.01");
    ASSERT_TRUE(cont.records.is_object());
    auto cell_side = [&](int row, int col) {
        for (const auto& [side, recs] : cont.records.items())
            for (const auto& rec : recs)
                for (const auto& [f, v] : rec["fields"].items())
                    if (v.contains("cell") && v["cell"] == json({row, col})) return side;
        return std::string();
    };
    EXPECT_EQ(cell_side(1, 3), "expense");
    EXPECT_EQ(cell_side(2, 3), "expense");
    validate_document(d, schemas(), options());
    const Cell& total = *d.tables[1].at(2, 3);
    ASSERT_TRUE(total.obscured);
    EXPECT_FALSE(total.source == Source::Recovered && total.value && std::abs(*total.value - 3001.59) < 0.005);
}

// The 合计 line of a real 一般公共预算支出表 alone on page 3
// (real-putuo-wanli-street-2024-budget.p18-20.damaged.s2, this session's
// layout: 合计 | blot | 99,706,020 | 56,505,103). What the blot reads as
// ("人") made its column "text", the band had two amount columns for the
// schema's three, and the 合计 record mapped none: nothing determined the
// blotted 合计. An obscured slot says nothing of its column's kind: the
// column is empty, the record maps 合计/基本支出/项目支出, and the row
// determines 156,211,123 (printed as the table's others). Control: the same
// reading not under a blot still makes its column text.
TEST(ValidateDamaged, ABlotsReadingDoesNotMakeItsColumnText) {
    Document d = real_pre_values("wanli2024-p18-20-damaged-s2.s12.pre.json");
    ASSERT_EQ(d.tables.size(), 3u);
    ASSERT_TRUE(d.tables[2].at(0, 1)->obscured);
    ASSERT_EQ(d.tables[2].at(0, 1)->text, "人");
    EXPECT_EQ(schema::analyse_grid(d.tables[2]).cols[1].role, "empty");
    for (auto& t : d.tables) t.records = nullptr;
    apply_schemas(d, schemas(), lexicon());
    ASSERT_EQ(d.tables[2].continues.value_or(-1), 1);
    const json& recs = d.tables[2].records;
    ASSERT_TRUE(recs.is_array());
    ASSERT_EQ(recs.size(), 1u);
    EXPECT_EQ(recs[0].value("key", ""), "合计");
    ASSERT_TRUE(recs[0]["fields"].contains("合计"));
    EXPECT_EQ(recs[0]["fields"]["合计"]["cell"], json({0, 1}));
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables[2].at(0, 1);
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_EQ(c.text, "156,211,123");

    Document plain = real_pre_values("wanli2024-p18-20-damaged-s2.s12.pre.json");
    plain.tables[2].at(0, 1)->obscured = false;
    EXPECT_EQ(schema::analyse_grid(plain.tables[2]).cols[1].role, "text");
}

// A stored extraction keeps its page lines through from_json: the schema stage
// run again on it finds the title in the line above the table when the table's
// own title is a stain's garble ("胜项目5收入预算"), as the extraction did
// (page 1 of real-putuo-unit-budget-2026.p9-11.damaged.s2, damaged set).
// The fixture is the whole document (helper "rec"'s session-5 fixture).
TEST(ValidateDamaged, StoredExtractionKeepsTheTitleLinesAboveItsTable) {
    Document d = real_pre_values("unitbudget-s2-p9-11-damaged.pre.json");
    ASSERT_FALSE(d.pages.empty());
    ASSERT_FALSE(d.pages[0].lines.empty());
    EXPECT_EQ(d.pages[0].lines[0].text, "2026年预算单位收入预算总表");
    ASSERT_FALSE(d.tables.empty());
    EXPECT_EQ(d.tables[0].title, "胜项目5收入预算");
    for (auto& t : d.tables) {
        t.schema.reset();
        t.continues.reset();
        t.records = nullptr;
    }
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(d.tables[0].schema.value_or(""), "budget.sh.02");
}

// Titles a stain or a tear cut short still name their tables, when what is
// left is found in order in the schema's title and the header and rows agree
// (gen-final-s1-0004.p8-10.damaged: 一般公共预算财政拨未- is 公开05表,
// 一般公共和预算财政拨款三公 is 公开07表). The document is a final account:
// one title with 决算 outweighs the two cut ones that only show 预算.
TEST(ValidateDamaged, TitlesCutShortStillNameTheirTables) {
    Document d = real_pre_values("genfinal-0004-p8-10-damaged.pre.json");
    ASSERT_EQ(d.tables.size(), 3u);
    EXPECT_EQ(d.tables[0].title, "一般公共预算财政拨未-");
    EXPECT_EQ(d.tables[2].title, "一般公共和预算财政拨款三公");
    for (auto& t : d.tables) {
        t.schema.reset();
        t.records = nullptr;
    }
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(d.metadata.value("kind", ""), "final");
    EXPECT_EQ(d.tables[0].schema.value_or(""), "final.05");
    EXPECT_EQ(d.tables[2].schema.value_or(""), "final.07");
    // The 07 table lost two of its twelve columns to the tear: its row maps
    // 决算数.合计 but neither 公务用车 nor 公务接待费, and the unmapped cells
    // right of it read ").00" and an occluded "人". 合计 = Σ terms is then not
    // evaluable: the occluded 合计 (printed 5.98) is not "recovered" as 0.
    validate_document(d, schemas(), options());
    const Cell& total = *d.tables[2].at(4, 6);
    ASSERT_TRUE(total.obscured);
    EXPECT_NE(total.source, Source::Recovered);
}

// A table whose title a tear took whole, between final.04 and final.06: the
// package prints its tables in catalogue order, so the one printed after the
// previous table's schema and before the next one's gains order_bonus twice.
TEST(ValidateDamaged, UntitledTableBetweenItsNeighboursInTheCatalogue) {
    Document d = real_pre_values("template-p9-11-damaged.pre.json");
    ASSERT_EQ(d.tables.size(), 3u);
    EXPECT_TRUE(schema::trim(d.tables[1].title).empty());
    for (auto& t : d.tables) {
        t.schema.reset();
        t.records = nullptr;
    }
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(d.tables[0].schema.value_or(""), "final.04");
    EXPECT_EQ(d.tables[2].schema.value_or(""), "final.06");
    EXPECT_EQ(d.tables[1].schema.value_or(""), "final.05");
}

// The last line of a table carried over to a page of its own: 合计 spans the
// code and name columns, so the tail has 6 columns against 9 — every one of
// its column rulings is one of the previous table's: a continuation, and its
// 合计 line a record of the table's schema.
TEST(ValidateDamaged, TableTailOnTheNextPageContinuesIt) {
    Document d = real_pre_values("wanli2024-p11-15-tail.pre.json");
    ASSERT_EQ(d.tables.size(), 5u);
    ASSERT_EQ(d.tables[4].n_rows, 1);
    ASSERT_EQ(d.tables[4].n_cols, 6);
    apply_schemas(d, schemas(), lexicon());
    ASSERT_TRUE(d.tables[0].schema.has_value());  // 收入预算总表 (std.02, or sh.02 without the rest of the document)
    EXPECT_EQ(d.tables[4].continues.value_or(-1), 3);
    EXPECT_EQ(d.tables[4].schema, d.tables[0].schema);
    ASSERT_TRUE(d.tables[4].records.is_array());
    ASSERT_FALSE(d.tables[4].records.empty());
    const auto& rec = d.tables[4].records[0];
    EXPECT_EQ(rec.value("key", ""), "合计");
    EXPECT_DOUBLE_EQ(rec["fields"]["合计"].value("value", 0.0), 156211123.0);
}

TEST(ValidateDamaged, HunanSanGongTableUnderATornTitle) {
    Document d = real_pre_values("genhn-0002-p9-11-damaged.pre.json");
    ASSERT_EQ(d.tables.size(), 3u);
    EXPECT_EQ(d.tables[1].title, "的下经费支出表");
    for (auto& t : d.tables) {
        t.schema.reset();
        t.records = nullptr;
    }
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(d.tables[1].schema.value_or(""), "budget.hn.09");
}

// A continuation page whose poor scan added an empty column at the table's
// edge (10 columns against page 1's 9) still continues page 1: columns that
// hold nothing at an edge are left out when the counts differ.
TEST(ValidateDamaged, ContinuationWithAnEmptyEdgeColumn) {
    Document d = real_pre_values("wanli-p10-11-poor.pre.json");
    ASSERT_EQ(d.tables.size(), 2u);
    ASSERT_EQ(d.tables[0].n_cols + 1, d.tables[1].n_cols);
    for (auto& t : d.tables) {
        t.schema.reset();
        t.records = nullptr;
    }
    apply_schemas(d, schemas(), lexicon());
    ASSERT_TRUE(d.tables[0].schema.has_value());
    EXPECT_EQ(d.tables[1].continues.value_or(-1), 0);
    EXPECT_EQ(d.tables[1].schema.value_or(""), *d.tables[0].schema);
    // the empty column left of the codes is no amount column: the five amounts map
    const json& recs = d.tables[1].records;
    ASSERT_TRUE(recs.is_array());
    ASSERT_FALSE(recs.empty());
    int with_total = 0;
    for (const auto& r : recs) with_total += r["fields"].contains("合计");
    EXPECT_GE(with_total, static_cast<int>(recs.size()) - 1);
}

// A recovered amount's confidence is the stage's (recovery.confidence: 0.85
// for one determining identity), not an OCR engine's: the shipped curves are
// fitted on OCR confidences and used to map it through the pooled numeric curve
// (0.85 → ~0.98, while on the damaged set 13% of recovered cells were wrong).
// Only a curve fitted on recovered cells would map it; the shipped file has none.
TEST(ValidateCalibration, RecoveredCellKeepsTheStagesConfidence) {
    ValidateOptions o = options();
    ASSERT_FALSE(o.calibration.empty());
    ASSERT_EQ(o.calibration.classes.count("*|numeric|recovered"), 0u);
    Document d = real_pre("wanli-p10-11-damaged.pre.json");
    Cell& c = *d.tables[0].at(8, 4);
    // two engines disagreeing on what the blot looks like say nothing about
    // the recovered amount (the stage used to apply its "disagree" factor: 0.775)
    Reading a, b;
    a.text = "1", a.confidence = 0.2, a.engine = "tesseract-eng-digits";
    b.text = "7", b.confidence = 0.3, b.engine = "ppocr-v4";
    c.readings = {a, b};
    validate_document(d, schemas(), o);
    ASSERT_EQ(c.source, Source::Recovered);
    ASSERT_TRUE(c.provenance.contains("confidence"));
    EXPECT_EQ(c.provenance["confidence"]["class"].get<std::string>().substr(c.provenance["confidence"]["class"].get<std::string>().rfind('|') + 1),
              "recovered");
    const int n = c.provenance.value("determinations", 1);
    EXPECT_NEAR(c.confidence, o.settings.recovered.of(n), 1e-4);
}

// A generated 基本支出 page (budget.std.06, page 2 of
// gen-budget-std-s1-0003.p8-10.damaged.s2): a blot erased the rulings between
// 30110, 30111 and 30112, so the three lines are one row (10) whose code reads
// "30110301113011" and whose amounts are one cell merged over three columns —
// no record. 301 = Σ its children then summed six of its nine lines and
// "determined" 578.21 for 301's garbled 合计 (" 698.7625.72", truth 625.72). A
// row inside a block that holds something in the column but is no line of it
// makes the block incomplete.
TEST(ValidateDamaged, RowNotReadAsALineMakesTheBlockIncomplete) {
    Document d = real_pre_values("genstd-p8-10-damaged-s2.pre.json");
    ASSERT_EQ(d.tables[1].schema.value_or(""), "budget.std.06");
    ASSERT_EQ(d.tables[1].at(10, 2)->col, 1);  // row 10: one cell over cols 1-3
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables[1].at(2, 2);
    EXPECT_NE(c.source, Source::Recovered);
    EXPECT_FALSE(c.value.has_value() && std::abs(*c.value - 578.21) < 0.005);
    // the garbled total is illegible (unknown: the sum is not evaluated, no
    // finding); the equation itself knows it lacks a line
    const validate::Equation* eq = nullptr;
    auto eqs = validate::build_equations(d, schemas(), 0);
    for (const auto& e : eqs)
        if (e.identity == "budget.std.06:hierarchy" && e.label == "301/合计") eq = &e;
    ASSERT_NE(eq, nullptr);
    EXPECT_EQ(eq->missing_terms, std::vector<std::string>({"row 10 not read as a line"}));
}

// The genstd page above: the blotted 合计 of 22102 is determined by 221 = 22102
// (from 221's 46.39) and by 22102 = 2210201 (from 2210201's 46.39). Had a
// second engine read each of those as 46.89, which amounts are on the page
// would not be known: a term two engines read as different amounts vouches for
// nothing, and 22102 stays unrecovered. With one of them doubtful the other
// still determines it.
TEST(ValidateDamaged, TermTheEnginesDisagreeOnDoesNotDetermine) {
    auto doubt = [](Cell& c) {
        Reading a, b;
        a.text = "46.39", a.confidence = 0.96, a.engine = "tesseract-eng-digits";
        b.text = "46.89", b.confidence = 0.90, b.engine = "ppocr-v4";
        c.readings = {a, b};
    };
    {
        Document d = real_pre_values("genstd-p8-10-damaged.pre.json");
        ASSERT_EQ(d.tables[0].at(12, 2)->text, "46.39");
        ASSERT_EQ(d.tables[0].at(14, 2)->text, "46.39");
        doubt(*d.tables[0].at(12, 2));
        doubt(*d.tables[0].at(14, 2));
        validate_document(d, schemas(), options());
        const Cell& total = *d.tables[0].at(13, 2);
        EXPECT_NE(total.source, Source::Recovered);
        EXPECT_FALSE(total.value.has_value());
        EXPECT_EQ(d.tables[0].at(12, 2)->text, "46.39");  // the terms are left as read
        EXPECT_EQ(d.tables[0].at(14, 2)->text, "46.39");
    }
    {
        Document d = real_pre_values("genstd-p8-10-damaged.pre.json");
        doubt(*d.tables[0].at(12, 2));
        validate_document(d, schemas(), options());
        const Cell& total = *d.tables[0].at(13, 2);
        EXPECT_EQ(total.source, Source::Recovered);
        EXPECT_NEAR(total.value.value_or(-1), 46.39, 1e-9);
    }
}

// A damaged real 收入支出决算总表 (final.01, page 1 of
// real-putuo-finance-2024-final.p6-8.damaged, extraction of session 4): the
// label of 八、社会保障和就业支出 reads ")八、社会保障和就业支出", so that line (row
// 9, 326.71) matches no class. 本年支出合计 = Σ class lines then "determined"
// 2,433.37 for the blotted 一般公共服务支出 (truth 2,106.66 = 2,433.37 −
// 326.71). A line of the side that states an amount but has no class, key or
// code makes that sum incomplete.
TEST(ValidateDamaged, LineWithoutAClassMakesTheClassSumIncomplete) {
    Document d = real_pre_values("finance-p6-8-damaged-b.pre.json");
    ASSERT_EQ(d.tables[0].at(9, 3)->text, "326.71");
    bool found = false;
    for (const auto& e : validate::build_equations(d, schemas(), 2024))
        if (e.identity == "final.01:expense_total") {
            found = true;
            // (the continuation's 总计, read "计" over an obscured amount, is one too)
            EXPECT_NE(std::find(e.missing_terms.begin(), e.missing_terms.end(), "row 9 without a class"),
                      e.missing_terms.end());
        }
    EXPECT_TRUE(found);
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables[0].at(2, 3);
    ASSERT_TRUE(c.obscured);
    EXPECT_NE(c.source, Source::Recovered);
    EXPECT_FALSE(c.value.has_value());
}

// A generated 三公 table (final.07, page 2 of gen-final-s1-0001.p11-13.damaged,
// this session's output): 预算数's 公务接待费 under a blot (read "元") is
// recovered from its row, 2.64 = 2.64 − 0.00 − … Its column holds the 栏次
// number 6 and nothing else: printed with the column's decimals (none) it
// would read "3" (value 2.64). A recovered amount keeps its cents. (The
// blot's "元" no longer makes the column text — the session-4 fixture this
// test used had its 合计 read ") 2.13" beside it and recovered that instead.)
TEST(ValidateDamaged, RecoveredAmountKeepsItsCents) {
    Document d = real_pre_values("genfinal-p11-13-damaged.s12.pre.json");
    ASSERT_TRUE(d.tables[1].at(4, 5)->obscured);
    ASSERT_EQ(d.tables[1].at(3, 5)->text, "6");
    for (auto& t : d.tables) t.records = nullptr;
    apply_schemas(d, schemas(), lexicon());
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables[1].at(4, 5);
    ASSERT_EQ(c.source, Source::Recovered);
    EXPECT_NEAR(c.value.value_or(-1), 2.64, 1e-9);
    EXPECT_EQ(c.text, "2.64");
}

// Typical scan of seed 003's 公开06表: the bold class line 310 looks dark to
// the crop test, but the page prints 其他资本性支出 where the economic list has
// 资本性支出. When both engines read that name whole, it stays; with one
// engine's reading only, the obscured name is taken from the lexicon.
TEST(ValidateNames, AgreedWholeNameOnALegibleDarkCellIsKept) {
    auto run = [](bool both) {
        Document d = real_pre("seed003-final06-typical.pre.json");
        Cell& name = *d.tables[0].at(2, 7);
        EXPECT_TRUE(name.obscured);
        Reading chi;
        chi.text = "其他资本性支出";
        chi.engine = "tesseract-chi_sim";
        chi.confidence = 0.96;
        name.readings = {chi};
        if (both) {
            Reading pp = chi;
            pp.engine = "ppocr-v4";
            name.readings.push_back(pp);
        }
        validate_document(d, schemas(), options());
        return std::make_pair(d.tables[0].at(2, 7)->text, d.tables[0].at(2, 7)->source);
    };
    auto kept = run(true);
    EXPECT_EQ(kept.first, "其他资本性支出");
    EXPECT_NE(kept.second, Source::Recovered);
    auto recovered = run(false);
    EXPECT_EQ(recovered.first, "资本性支出");
    EXPECT_EQ(recovered.second, Source::Recovered);
}

// ---------------------------------------------------------------- session 5: more exact recoveries

namespace {

// the record of `code` in a code table's records, nullptr when absent
const json* record_of(const Table& t, const std::string& code) {
    if (!t.records.is_array()) return nullptr;
    for (const auto& rec : t.records)
        if (rec.value("code", json()).is_string() && rec["code"].get<std::string>() == code) return &rec;
    return nullptr;
}

}  // namespace

// A generated 公开06表 (万元; page 1 of gen-final-s1-0001.p11-13.damaged.s2):
// 代缴社会保险费 30311 read "-1.02" (0.46) under 303 = 1.02, and 301's 决算数 is
// blotted (truth 505.70). The column prints no negative amount: the minus is
// a speck, and 1.02 is the candidate that makes 303 = Σ its children hold.
// Then 301 is determined twice — Σ its eight children and 人员经费合计 − 303 —
// and the two agree, which a 万元 sum of 8 items needs.
TEST(ValidateDamaged, MinusSignTheColumnNeverPrintsIsCorrected) {
    Document d = real_pre_values("genfinal-p11-13-damaged-s2.pre.json");
    ASSERT_EQ(d.tables[0].schema.value_or(""), "final.06");
    validate_document(d, schemas(), options());
    const Cell& sign = *d.tables[0].at(11, 2);
    EXPECT_EQ(sign.text, "1.02");
    EXPECT_EQ(sign.provenance.value("how", ""), "sign");
    EXPECT_EQ(sign.provenance.value("from", ""), "-1.02");
    const Cell& total = *d.tables[0].at(1, 2);
    ASSERT_TRUE(total.obscured);
    EXPECT_EQ(total.source, Source::Recovered);
    EXPECT_NEAR(total.value.value_or(-1), 505.70, 1e-9);
    EXPECT_EQ(total.provenance.value("determinations", 0), 2);
}

// The same page with a real negative amount elsewhere in the column: the page
// may mean its minus signs, so none is taken for a speck — 303 = 30311 stays a
// failing identity, reported, and 301 is not recovered.
TEST(ValidateDamaged, MinusSignIsKeptWhereTheColumnPrintsNegatives) {
    Document d = real_pre_values("genfinal-p11-13-damaged-s2.pre.json");
    Cell& other = *d.tables[0].at(2, 2);  // 30101 基本工资 151.20 (301 is blotted: no identity of it is evaluable)
    other.text = "-151.20";
    other.value = -151.20;
    validate_document(d, schemas(), options());
    const Cell& sign = *d.tables[0].at(11, 2);
    EXPECT_EQ(sign.text, "-1.02");
    EXPECT_FALSE(sign.provenance.contains("corrected_by"));
    EXPECT_NE(d.tables[0].at(1, 2)->source, Source::Recovered);
    EXPECT_TRUE(equation_finding(d, "final.06:hierarchy", "303/决算数") != nullptr);
}

// A real 基本支出 page (budget.sh.08, page 3 of
// real-putuo-commerce-unit-2025-budget.p17-19.damaged.s2) whose unit line was
// misread ("编制单位，…2位,元": no unit found) while the document's other tables
// state 元. The blotted 合计 of 30108 (truth 1,410,886.00) is determined by
// 301 = Σ its nine children only; in an unknown unit — possibly 万元 — one sum
// of nine amounts does not pin it. The table is taken to be in the document's
// unit: 元 amounts are not rounded, and the sum decides.
TEST(ValidateDamaged, TableWithoutAUnitTakesTheDocumentsUnit) {
    auto run = [](bool from_document) {
        Document d = real_pre_values("commerceunit-p17-19-damaged-s2.pre.json");
        EXPECT_EQ(d.tables[2].unit, "");
        EXPECT_EQ(d.tables[0].unit, "元");
        ValidateOptions o = options();
        o.settings.recovery_unit_from_document = from_document;
        validate_document(d, schemas(), o);
        return d;
    };
    Document on = run(true);
    ASSERT_TRUE(options().settings.recovery_unit_from_document);  // as shipped
    const Cell& c = *on.tables[2].at(7, 3);
    ASSERT_TRUE(c.obscured);
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_EQ(c.text, "1,410,886.00");
    Document off = run(false);
    EXPECT_NE(off.tables[2].at(7, 3)->source, Source::Recovered);
    EXPECT_EQ(unrecoverable_reason(off, 2, 7, 3), "one identity in a rounded unit");
}

// A real 一般公共预算支出功能分类 page (budget.sh.05, page 3 of
// real-putuo-commerce-2025-budget.p13-15.damaged.s2) whose 合计 header was read
// "人计" (0.40): no header named the first amount column, so it had no field and
// the blotted 合计 of 20805 (truth 3,808,085.00) belonged to no identity. The
// column takes the one required field no header matched — it stands before
// 基本支出 and 项目支出 as 合计 does in the schema — and 208 = 20805 determines
// it. 20805 = Σ its children fails in 基本支出 (by 13,260: a line is missing or
// misread) and determines nothing (in 合计 it would give 2,794,825: 1,661,216
// is read 661,216 there); nor does the row identity, whose 基本支出 amount
// takes part in that failing block.
TEST(ValidateDamaged, MisreadHeaderFragmentTakesTheUnmatchedFieldByOrder) {
    Document d = real_pre_values("commerce-p13-15-damaged-s2.pre.json");
    Table& t = d.tables[2];
    ASSERT_EQ(t.schema.value_or(""), "budget.sh.05");
    const schema::Schema* s = schemas().find(*t.schema);
    ASSERT_NE(s, nullptr);
    t.records = schema::build_records(t, *s, schema::analyse_grid(t), &lexicon(), 2025);
    const json* rec = record_of(t, "20805");
    ASSERT_NE(rec, nullptr);
    ASSERT_TRUE((*rec)["fields"].contains("合计"));
    EXPECT_EQ((*rec)["fields"]["合计"]["cell"], json({13, 4}));
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables[2].at(13, 4);
    ASSERT_TRUE(c.obscured);
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_NEAR(c.value.value_or(-1), 3808085.00, 1e-6);
}

// The page of BlockFailingInAnotherColumnDoesNotDetermine with its records
// built again: the 项 code 01 is one cell merged down over rows 6 and 7
// (住房改革支出, 住房公积金), which gave 2210201 to row 6 and 22102 to row 7.
// The lexicon names both rows when the part is row 7's (22102 住房改革支出,
// 2210201 住房公积金), and neither when it is row 6's: the part goes to row 7.
// The blotted 财政拨款收入 of 住房公积金 (truth 1,791,459.00) is then determined by
// 22102 = 2210201 + 2210203 and by its row (合计 = 财政拨款收入 + 0s), which agree.
TEST(ValidateDamaged, CodePartMergedDownGoesToTheRowTheLexiconNames) {
    Document d = real_pre_values("unitbudget-p9-11-damaged.pre.json");
    Table& t = d.tables[1];
    ASSERT_EQ(t.schema.value_or(""), "budget.sh.02");
    const Cell* part = t.at(6, 2);
    ASSERT_NE(part, nullptr);
    ASSERT_EQ(part->row_span, 2);
    ASSERT_EQ(part->text, "01");
    t.records = schema::build_records(t, *schemas().find(*t.schema), schema::analyse_grid(t), &lexicon(), 2026);
    const json* reform = record_of(t, "22102");
    const json* fund = record_of(t, "2210201");
    ASSERT_NE(reform, nullptr);
    ASSERT_NE(fund, nullptr);
    EXPECT_EQ((*reform)["row"], 6);
    EXPECT_EQ((*fund)["row"], 7);
    // without the lexicon nothing says which row prints the part: as read
    Table bare = t;
    bare.records = schema::build_records(bare, *schemas().find(*t.schema), schema::analyse_grid(bare), nullptr, 2026);
    ASSERT_NE(record_of(bare, "22102"), nullptr);
    EXPECT_EQ((*record_of(bare, "22102"))["row"], 7);
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables[1].at(7, 5);
    ASSERT_TRUE(c.obscured);
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_NEAR(c.value.value_or(-1), 1791459.00, 1e-6);
    EXPECT_EQ(c.provenance.value("determinations", 0), 2);
}

// A real 收入预算 page (budget.sh.02, page 1 of
// real-putuo-unit-budget-2026.p9-11.damaged.s2): a stain over 合计 of 208 was
// read "西电2,925,857.00(" — CJK specks around a number. It used to count as a
// printed blank: "208/合计: printed blank" (missing_total), and the 财政拨款收入
// recovered in the same row broke 合计 = 财政拨款收入 + … and was put back. The
// slot is unknown; both amounts (truth 2,925,857.00) are determined by 208 =
// 20805, and the row agrees.
TEST(ValidateDamaged, NumberAmongCjkSpecksIsUnknownNotBlank) {
    Document d = real_pre_values("unitbudget-s2-p9-11-damaged.pre.json");
    ASSERT_EQ(d.tables[0].schema.value_or(""), "budget.sh.02");
    const Cell& stained = *d.tables[0].at(10, 4);
    ASSERT_EQ(stained.text, "西电2,925,857.00(");
    ASSERT_FALSE(stained.obscured);
    EXPECT_TRUE(validate::is_unknown_at(d, validate::CellRef{0, 10, 4}, options().settings));
    validate_document(d, schemas(), options());
    for (int col : {4, 5}) {
        const Cell& c = *d.tables[0].at(10, col);
        EXPECT_EQ(c.source, Source::Recovered) << col;
        EXPECT_EQ(c.text, "2,925,857.00") << col;
    }
    EXPECT_EQ(d.tables[0].at(10, 4)->raw_text, "西电2,925,857.00(");
    for (const auto& f : d.findings) {
        if (f.table && *f.table == 0) {
            EXPECT_NE(f.kind, "missing_total") << f.message;
        }
    }
}

// A generated 公开06表 (万元; page 2 of gen-final-s1-0004.p8-10.damaged.s2): a
// stain over 30305 生活补助's 决算数 (truth 4.89, 303 = 4.89) ran on into the
// empty row below, whose amount slot was read "Te" and flagged obscured. That
// row prints no code and no name (legibly blank, no engine saw anything), so it
// is no line of block 303: the block is complete and 303 = 30305 determines
// the hidden amount (one item, no rounding drift).
TEST(ValidateDamaged, StainOnARowWithoutCodeOrNameIsNoLine) {
    Document d = real_pre_values("genfinal-p8-10-damaged-s2.pre.json");
    ASSERT_EQ(d.tables[1].schema.value_or(""), "final.06");
    const Cell& edge = *d.tables[1].at(14, 2);
    ASSERT_TRUE(edge.obscured);
    ASSERT_TRUE(d.tables[1].at(14, 0) == nullptr || d.tables[1].at(14, 0)->text.empty());
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables[1].at(13, 2);
    ASSERT_TRUE(c.obscured);
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_EQ(c.text, "4.89");
    // the same row with a code read on it is a line the table did not map: the
    // block stays incomplete and nothing is recovered
    Document e = real_pre_values("genfinal-p8-10-damaged-s2.pre.json");
    Cell* code = e.tables[1].at(14, 0);
    ASSERT_NE(code, nullptr);
    code->text = "30399";
    code->source = Source::Ocr;
    code->confidence = 0.2;
    validate_document(e, schemas(), options());
    EXPECT_NE(e.tables[1].at(13, 2)->source, Source::Recovered);
}

// Two false recoveries of the session's first full run, both from a term that
// is not what the page prints:
// - real-putuo-gov-office-unit-2025-budget.p14-16.damaged.s2, page 1 (元, every
//   amount with cents): 基本支出 of 208 read "4,213" (truth 4,213,779.28, the
//   reading lost its tail) "determined" 4,213.00 for the blotted 20805;
// - gen-final-s1-0004.p8-10.damaged, page 2 (公开06表): a lost ruling glued the
//   amounts to the next panel's codes ("442.50302", "4.8930227"), and 人员经费合计
//   − 301 "determined" 303 as 4.8900000.
// A term read without the decimals its column prints, or with more than two,
// determines nothing; and a recovered amount never prints more than two.
TEST(ValidateDamaged, TermReadWithoutItsColumnsDecimalsDoesNotDetermine) {
    Document d = real_pre_values("govofficeunit-p14-16-damaged-s2.pre.json");
    ASSERT_EQ(d.tables[0].at(9, 5)->text, "4,213");
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables[0].at(10, 5);
    EXPECT_NE(c.source, Source::Recovered) << c.text;
    EXPECT_FALSE(c.value && std::abs(*c.value - 4213.0) < 0.005);

    Document g = real_pre_values("genfinal-p8-10-damaged.pre.json");
    ASSERT_EQ(g.tables[1].schema.value_or(""), "final.06");
    ASSERT_EQ(g.tables[1].at(1, 2)->text, "442.50302");
    validate_document(g, schemas(), options());
    for (const auto& cell : g.tables[1].cells) {
        if (cell.source != Source::Recovered || !cell.value) continue;
        EXPECT_LE(schema::parse_number(cell.text).decimals, 2) << cell.row << "," << cell.col << " " << cell.text;
    }
    EXPECT_NE(g.tables[1].at(13, 2)->source, Source::Recovered) << g.tables[1].at(13, 2)->text;
}

// ---------------------------------------------------------------- session 7
namespace {

// A damaged-set extraction put back to what the schema stage receives (the
// fixtures are `scripts/undo-validation` of /tmp/s7/dmg-base outputs, see
// tests/data/validate/README.md): the schema and validation stages run again.
Document replayed(const std::string& name) {
    Document d = real_pre(name);
    for (auto& t : d.tables) {
        t.schema.reset();
        t.schema_variant.reset();
        t.continues.reset();
        t.records = nullptr;
    }
    apply_schemas(d, schemas(), lexicon());
    validate_document(d, schemas(), options());
    return d;
}

const json* record_with_row(const Table& t, int row) {
    if (!t.records.is_array()) return nullptr;
    for (const auto& r : t.records)
        if (r.value("row", -1) == row) return &r;
    return nullptr;
}

}  // namespace

// real-putuo-commerce-2025-budget.p13-15.damaged, page 3 (budget.sh.05): a blot
// hides 2011350's 基本支出 (truth 2,901,820.00). Two readings stood in the
// way: the 项 cell of the next row read "-99" (a stain's stub before 99: the
// row had no code, block 20113 was incomplete), and 2011302's blank 基本支出
// read "22" at 0.0 (a speck; its row total equals its 项目支出). The code's
// digits are taken, zero is a candidate of a short unsure reading, and the
// block then determines the hidden amount.
TEST(ValidateDamaged, SpeckReadingAndDustyCodePartNoLongerHideABlock) {
    Document d = replayed("commerce-p13-15-damaged.pre.json");
    const Table& t = d.tables[2];
    ASSERT_EQ(t.schema.value_or(""), "budget.sh.05");
    const json* r8 = record_with_row(t, 8);
    ASSERT_NE(r8, nullptr);
    EXPECT_EQ((*r8)["code"], "2011399");
    EXPECT_EQ(t.at(8, 2)->text, "-99");  // what the page shows stays in the cell
    const Cell& speck = *t.at(6, 5);
    EXPECT_EQ(speck.text, "");
    EXPECT_EQ(speck.provenance.value("how", ""), "speck");
    EXPECT_EQ(speck.provenance.value("from", ""), "22");
    const Cell& hidden = *t.at(7, 5);
    ASSERT_TRUE(hidden.obscured);
    EXPECT_EQ(hidden.source, Source::Recovered);
    EXPECT_EQ(hidden.text, "2,901,820.00");
}

// real-putuo-commerce-unit-2025-budget.p17-19.damaged, page 3 (budget.sh.08,
// cut by the page end): the stains on 30201/合计 and 30207/公用经费 left ")" and
// "(" in the 人员经费 cells beside them. Read as unknown, each row had two
// unknowns; beside an obscured cell such marks are what a stain's edge leaves,
// not a number, and each row identity determines the hidden amount.
TEST(ValidateDamaged, StainEdgeMarksBesideABlotAreBlank) {
    Document d = replayed("commerceunit-p17-19-damaged.pre.json");
    const Table& t = d.tables[2];
    const Cell& mark = *t.at(14, 4);
    EXPECT_EQ(mark.text, "");
    EXPECT_EQ(mark.raw_text, ")");
    EXPECT_TRUE(mark.provenance.value("speck", false));
    EXPECT_EQ(t.at(14, 3)->source, Source::Recovered);
    EXPECT_EQ(t.at(14, 3)->text, "273,900.00");
    EXPECT_EQ(t.at(17, 5)->source, Source::Recovered);
    EXPECT_EQ(t.at(17, 5)->text, "15,000.00");
}

// The same marks elsewhere stay unknown: on a poor scan "." can be what is
// left of a faint amount (gen-budget-hn-s1-0005.p8-9.poor: "." for 13.68).
TEST(ValidateDamaged, MarksAwayFromABlotStayUnknown) {
    Document d = real_pre("commerceunit-p17-19-damaged.pre.json");
    Table& t = d.tables[2];
    for (auto& c : t.cells) c.obscured = false;
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(t.at(14, 4)->text, ")");
    EXPECT_FALSE(t.at(14, 4)->provenance.contains("speck"));
}

// gen-final-s1-0004.p8-10.damaged.s2, page 2 (final.06): the ruling between
// 科目名称 and 决算数 of the second panel is lost on the page, so each line of
// the 302 block was read as one cell "水费2.40". The name and the amount go
// back to their columns, split at the header's ruling.
TEST(ValidateDamaged, NameAndAmountReadAsOneCellAreSplitAtTheRuling) {
    Document d = replayed("genfinal-0004-p8-10-damaged-s2.pre.json");
    const Table& t = d.tables[1];
    const Cell& name = *t.at(3, 4);
    const Cell& amount = *t.at(3, 5);
    EXPECT_EQ(name.col_span, 1);
    EXPECT_EQ(name.text, "水费");
    EXPECT_EQ(amount.text, "2.40");
    ASSERT_TRUE(amount.value.has_value());
    EXPECT_DOUBLE_EQ(*amount.value, 2.40);
    EXPECT_EQ(amount.provenance.value("split_from", ""), "水费2.40");
    EXPECT_EQ(name.bbox.x1, t.col_lines[5]);
    EXPECT_EQ(amount.bbox.x0, t.col_lines[5]);
}

// real-putuo-dept-budget-2026.p18-20.damaged, page 2 (budget.sh.08): 30199's
// 人员经费 is blotted (truth 1,193,598.00). Its row total 1193598.0 was
// distrusted because Tesseract read "1193598.06" at confidence 0.0 (no
// evidence), and 301's 人员经费 23084662.00 because the continued table's
// 合计 row fails — on its one unsure reading, 235632 at 0.43 for 23563342.
TEST(ValidateDamaged, AFailureIsBlamedOnItsOneUnsureReading) {
    Document d = replayed("deptbudget-p18-20-damaged.pre.json");
    const Cell& c = *d.tables[1].at(11, 4);
    ASSERT_TRUE(c.obscured);
    EXPECT_EQ(c.source, Source::Recovered);
    ASSERT_TRUE(c.value.has_value());
    EXPECT_DOUBLE_EQ(*c.value, 1193598.0);
}

// real-putuo-wanli-street-2024-budget.p18-20.damaged: the excerpt starts in
// the middle of a 部门支出预算总表, so page 1's table has no header at all. Its
// three amount columns are the schema's three value columns in order (two of
// them optional), and the blotted amounts are recovered from the hierarchy
// and the row sums (truth 200,000 and 3,023,657).
TEST(ValidateDamaged, HeaderlessTableTakesTheValueColumnsInOrder) {
    Document d = replayed("wanli2024-p18-20-damaged.pre.json");
    const Table& t = d.tables[0];
    ASSERT_EQ(t.header_rows, 0);
    ASSERT_TRUE(t.schema.has_value());
    EXPECT_EQ(t.at(14, 6)->source, Source::Recovered);
    EXPECT_EQ(t.at(14, 6)->text, "200,000");
    EXPECT_EQ(t.at(15, 4)->source, Source::Recovered);
    EXPECT_EQ(t.at(15, 4)->text, "3,023,657");
}

// real-putuo-gov-office-2025-budget.p15-17.damaged.s2: "） 1, 097, 073.43" — an
// amount with a stain's closing bracket before it. The amount is read, the
// bracket kept in raw_text; it is unsure, so it does not vouch for others.
TEST(ValidateDamaged, StainBracketBeforeAnAmountIsNotPartOfIt) {
    Document d = replayed("govoffice-p15-17-damaged-s2.pre.json");
    const Cell& c = *d.tables[0].at(3, 5);
    ASSERT_TRUE(c.value.has_value());
    EXPECT_DOUBLE_EQ(*c.value, 1097073.43);
    EXPECT_EQ(c.raw_text, "） 1, 097, 073.43");
    EXPECT_TRUE(c.provenance.value("speck", false));
}

// real-putuo-commerce-2025-budget.p13-15.damaged.s2, page 1 (budget.sh.03): a
// blot on 216's 项目支出 (truth 31,364,000.00) left a "1" (PP-OCR 0.80) in the
// blank 基本支出 beside it, so block 216 failed in 基本支出 (1 ≠ 0) and
// determined nothing. Beside an obscured cell a short reading's candidates
// include zero at any confidence; zero makes 216 hold, and the block then
// determines the hidden amount.
TEST(ValidateDamaged, DigitAtAStainsEdgeIsASpeck) {
    Document d = replayed("commerce-p13-15-damaged-s2.s7.pre.json");
    const Table& t = d.tables[0];
    const Cell& speck = *t.at(9, 5);
    ASSERT_FALSE(speck.obscured);
    EXPECT_TRUE(t.beside_obscured(speck));
    EXPECT_EQ(speck.text, "");
    EXPECT_EQ(speck.provenance.value("how", ""), "speck");
    EXPECT_EQ(speck.raw_text, "1");
    EXPECT_EQ(t.at(9, 6)->source, Source::Recovered);
    EXPECT_EQ(t.at(9, 6)->text, "31,364,000.00");
}

// gen-budget-hn-s1-0002.p9-11.damaged.s2, page 1 (budget.hn.07): a blot hides
// 30305's amount (truth 0.36), the last line of the table. Block 303 ends at
// the table's last line, which used to mean "it may go on on a page not at
// hand"; but the table ends at 43% of its page and the next table is another
// (表9): it is complete, and 303 = Σ its lines determines the amount. The same
// table taken to end near its page's foot stays open.
TEST(ValidateDamaged, TableEndingMidPageIsComplete) {
    Document d = replayed("genhn-0002-p9-11-damaged-s2.pre.json");
    const Cell& c = *d.tables[0].at(6, 2);
    ASSERT_TRUE(c.obscured);
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_EQ(c.text, "0.36");

    Document e = real_pre("genhn-0002-p9-11-damaged-s2.pre.json");
    for (auto& p : e.pages) p.height = e.tables[0].bbox.y1 + 50;  // the table now ends at the foot
    for (auto& t : e.tables) t.schema.reset();
    apply_schemas(e, schemas(), lexicon());
    validate_document(e, schemas(), options());
    EXPECT_NE(e.tables[0].at(6, 2)->source, Source::Recovered);
    EXPECT_EQ(unrecoverable_reason(e, 0, 6, 2), "the table may go on past its last line");
}

// gen-budget-hn-s1-0005.p6-8.damaged.s2, page 3 (budget.hn.04): a stain took
// the first digit of two 类 cells ("08" under 208) and left a dot before a 款
// ("．05"). The 款 column then looked like no code column, so no row of the
// table had a code and 208's blotted 2080501 amount (truth 30.27) belonged to
// no block. Code parts are read without the speck, a 2-digit 类 that ends the
// 类 above is that 类, and the block determines the amount.
TEST(ValidateDamaged, CodePartsWithSpecksStillMakeCodes) {
    Document d = replayed("genhn-0005-p6-8-damaged-s2.pre.json");
    const Table& t = d.tables[2];
    ASSERT_EQ(t.at(11, 0)->text, "08");
    ASSERT_EQ(t.at(13, 1)->text, ".05");
    const json* r11 = record_with_row(t, 11);
    const json* r13 = record_with_row(t, 13);
    ASSERT_NE(r11, nullptr);
    ASSERT_NE(r13, nullptr);
    EXPECT_EQ((*r11)["code"], "2080501");
    EXPECT_EQ((*r13)["code"], "2080506");
    EXPECT_EQ(t.at(11, 5)->source, Source::Recovered);
    EXPECT_EQ(t.at(11, 5)->text, "30.27");
}

// real-putuo-dept-budget-2026.p18-20.damaged.s2, page 3 (budget.sh.08, the
// continued 302 block): 30201's 合计 "13000.0" (0.39; truth 130000.00) lost a
// digit — it prints fewer decimals than its column, read unsure — so block 302
// "determined" 157,000.00 for the blotted 30226 合计. Such a reading does not
// vouch for another cell; the row sum determines 40,000.00 (truth).
TEST(ValidateDamaged, UnsureReadingShortOfItsColumnsDecimalsDoesNotVouch) {
    ASSERT_EQ(real_pre("deptbudget-p18-20-damaged-s2.pre.json").tables[2].at(0, 3)->text, "13000.0");
    Document d = replayed("deptbudget-p18-20-damaged-s2.pre.json");
    const Table& t = d.tables[2];
    const Cell& c = *t.at(6, 3);
    ASSERT_TRUE(c.obscured);
    EXPECT_EQ(c.source, Source::Recovered);
    EXPECT_EQ(c.text, "40000.00");
}

// real-putuo-planning-resources-2024-final.p14-15.poor (150 dpi), page 1
// (final.05): PP-OCR and Tesseract both read 3832.36 (0.88, 0.89: the truth),
// and row 小计 of that line failed because another amount of it was misread with
// confidence; the digit confusion 6→5 made the row hold and "corrected" the
// cell to 3832.35. Two engines agreeing on a number make it no suspect.
TEST(ValidateDamaged, TwoEnginesAgreeingOutweighOneIdentity) {
    Document d = replayed("planning-p14-15-poor.pre.json");
    const Cell& c = *d.tables[0].at(13, 3);
    EXPECT_EQ(c.text, "3832.36");
    EXPECT_FALSE(c.provenance.contains("corrected_by"));
    ValidateOptions o = options();
    ASSERT_GT(o.settings.agree_min_confidence, 0.0);  // as shipped
    o.settings.agree_min_confidence = 0.0;
    Document e = real_pre("planning-p14-15-poor.pre.json");
    for (auto& t : e.tables) t.schema.reset();
    apply_schemas(e, schemas(), lexicon());
    validate_document(e, schemas(), o);
    EXPECT_EQ(e.tables[0].at(13, 3)->text, "3832.35");  // without the rule: the misreading "correction"
}

// real-putuo-dept-budget-2026.p18-20.damaged.s2 as session 7's merged layout
// reads it (`deptbudget-p18-20-damaged-s2.merged.pre.json`): a stain over the
// 公用经费 column of 30204 手续费 left its 760.00 unread — the slot reads
// empty — and a "人" in the 人员经费 slot beside it. The row sum then
// "determined" 人员经费 = 760.00 (truth 0.00). Block 302 is incomplete in that
// column (a term under a merged cell on the next page) but still bounds its
// items: its total is 0.00 and, with no negative amount, the lines it lacks
// can only add. A recovered value whose items exceed their total is put back.
TEST(ValidateDamaged, RecoveredValueExceedingAnIncompleteTotalIsPutBack) {
    Document d = replayed("deptbudget-p18-20-damaged-s2.merged.pre.json");
    const Cell& c = *d.tables[1].at(15, 4);
    EXPECT_NE(c.source, Source::Recovered);
    EXPECT_FALSE(c.value.has_value() && *c.value == 760.0);
    EXPECT_EQ(unrecoverable_reason(d, 1, 15, 4).rfind("a recovered value exceeds budget.sh.08:hierarchy", 0), 0u)
        << unrecoverable_reason(d, 1, 15, 4);
}

// A damaged real 收入预算总表 (fixture table in tests/data/validate/README.md,
// session 9): 2210201/财政拨款收入 (table 1 (7,5), true 1,791,459.00) is
// blotted; 22102's other line 3,861,459.00 was ranked with Tesseract's
// "3,861,459.00" at 0.0 first (PP-OCR's "3861,459.00" at 0.99 fails the
// grouping check). A term read at almost no confidence vouches for nothing —
// unless another reading of the cell states the same amount surely: then the
// hierarchy determines the blotted line.
TEST(ValidateDamaged, AnAmountAnotherEngineReadAlikeIsASureTerm) {
    Document d = real_pre_values("unitbudget-p9-11-damaged.s8.pre.json");
    const Cell& term = *d.tables.at(1).at(6, 5);
    ASSERT_LT(term.confidence, 0.3);
    const Cell& c = *d.tables.at(1).at(7, 5);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered) << unrecoverable_reason(d, 1, 7, 5);
    EXPECT_NEAR(c.value.value_or(-1), 1791459.00, 1e-6);
    EXPECT_TRUE(changed_by(c, "budget.sh.02:hierarchy"));
}

// A block still open at its table's last line whose total exceeds the lines
// seen (302 of a 部门预算经济分类 table cut at the page's end, wanli-2025 s2
// page 3: 10,827,702 over 10,000 + 4,333,478) fails only for want of lines on
// a page not at hand: 办公费's 公用经费 4,333,478 still vouches for its row,
// whose blotted 合计 (table 2 (14,3)) the row identity determines. With the
// rule off the block's failure puts every cell of it in doubt.
TEST(ValidateDamaged, ABlockCutAtThePagesEndDoesNotPutItsLinesInDoubt) {
    Document d = real_pre_values("wanli-p25-27-damaged-s2.pre.json");
    const Cell& c = *d.tables.at(2).at(14, 3);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered) << unrecoverable_reason(d, 2, 14, 3);
    EXPECT_NEAR(c.value.value_or(-1), 4333478.0, 1e-6);
    EXPECT_TRUE(changed_by(c, "budget.sh.08:row_合计"));

    Document off = real_pre_values("wanli-p25-27-damaged-s2.pre.json");
    ValidateOptions o = options();
    o.settings.recovery_open_block_short = false;
    validate_document(off, schemas(), o);
    EXPECT_NE(off.tables.at(2).at(14, 3)->source, Source::Recovered);
}

// Session 10 fixtures (tests/data/validate/README.md): the base outputs of
// the damaged acceptance set, put back by scripts/undo-validation.

// gen-budget-std-s1-0003 damaged p2, 一般公共预算基本支出表 (budget.std.06).
// 30102's 人员经费 (1,7,3; true 89.33) is blotted; its row reads 合计 89.33
// (PP-OCR "89.33" at 0.95, Tesseract "89.334" at 0.48 — a speck after the
// last digit) and 公用经费 0.00. The two readings state the same amount to the
// column's two decimals: they do not disagree, and the row determines 89.33.
TEST(ValidateDamaged, SpeckAfterTheLastDecimalIsNoDisagreement) {
    Document d = real_pre_values("genstd-0003-p8-10-damaged.s10.pre.json");
    const Cell& c = *d.tables[1].at(7, 3);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    ASSERT_TRUE(c.value.has_value());
    EXPECT_NEAR(*c.value, 89.33, 1e-9);
}

// The same page: 301's 合计 (1,5,2; true 625.72) is blotted and its row
// (625.72 + 0.00, both sure) determines it. The 301 block then fails in
// that column only because 30101's 合计, under a stain, was read "7" at
// 0.04: a term read at almost no confidence does not refute the value.
// And when the row's 人员经费 is read "625.7" — a digit short of what the
// column prints, however sure — the row determines nothing.
TEST(ValidateDamaged, NearZeroConfidenceTermDoesNotRefuteARecovery) {
    Document d = real_pre_values("genstd-0003-p8-10-damaged.s10.pre.json");
    const Cell& term = *d.tables[1].at(6, 2);
    ASSERT_EQ(term.text, "7");
    ASSERT_LT(term.confidence, 0.1);
    const Cell& c = *d.tables[1].at(5, 2);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    ASSERT_TRUE(c.value.has_value());
    EXPECT_NEAR(*c.value, 625.72, 1e-9);

    Document cut = real_pre_values("genstd-0003-p8-10-damaged.s10.pre.json");
    Cell& personnel = *cut.tables[1].at(5, 3);
    ASSERT_EQ(personnel.text, "625.72");
    personnel.text = "625.7";
    personnel.value = 625.7;
    personnel.confidence = 0.99;
    for (auto& r : personnel.readings) r.text = "625.7";
    validate_document(cut, schemas(), options());
    EXPECT_NE(cut.tables[1].at(5, 2)->source, Source::Recovered);
}

// real-putuo-gov-office-2025-budget.p15-17.damaged.s2 p1 (budget.sh.05):
// 21011's 合计 (0,3,4; true 1,097,073.43) is blotted; its row (基本支出
// 1,097,073.43, 项目支出 blank) determines it. Block 21011 then falls 0.15
// short in that column because 2101102's amount was read "314,218" — the
// reading lost its decimals, so the page holds 314,218 plus less than one:
// the failure does not refute the value. A difference no lost tail can make
// up still does.
TEST(ValidateDamaged, LostDecimalsExplainAFailure) {
    Document d = real_pre_values("govoffice-p15-17-damaged-s2.s10.pre.json");
    const Cell& term = *d.tables[0].at(5, 4);
    ASSERT_EQ(term.text, "314,218");
    const Cell& c = *d.tables[0].at(3, 4);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    ASSERT_TRUE(c.value.has_value());
    EXPECT_NEAR(*c.value, 1097073.43, 1e-6);

    Document off = real_pre_values("govoffice-p15-17-damaged-s2.s10.pre.json");
    Cell& other = *off.tables[0].at(4, 4);  // 2101101, 782,855.28
    ASSERT_EQ(other.text, "782,855.28");
    other.text = "782,853.28";  // two short: more than the lost tail can hold
    other.value = 782853.28;
    for (auto& r : other.readings) r.text = "782,853.28";
    validate_document(off, schemas(), options());
    EXPECT_NE(off.tables[0].at(3, 4)->source, Source::Recovered);
    EXPECT_NE(unrecoverable_reason(off, 0, 3, 4).find("breaks"), std::string::npos);
}

// real-putuo-social-work-dept-2024-final.p12-14.damaged.s2 p1 (final.05):
// 2080505's 合计 (0,9,2; true 6.18) sits under a blot's rim; both engines
// read nothing and the cell was kept empty at confidence 0. Nothing read
// with so little trust is collapsed, not blank: block 20805 no longer
// "determines" 2080506's blotted 合计 as 10.82, and its row (小计 = 基本支出 4.64
// + 项目支出 blank) determines the true 4.64.
TEST(ValidateDamaged, NothingReadAtLowConfidenceIsNotBlank) {
    Document d = real_pre_values("socialwork-p12-14-damaged-s2.pre.json");
    const Cell& rim = *d.tables[0].at(9, 2);
    ASSERT_EQ(rim.source, Source::Empty);
    ASSERT_FALSE(rim.readings.empty());
    ASSERT_LT(rim.confidence, 0.5);
    const Cell& c = *d.tables[0].at(10, 2);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    ASSERT_TRUE(c.value.has_value());
    EXPECT_NEAR(*c.value, 4.64, 1e-9);
}

// gen-budget-std-s1-0003 damaged s2 p2 (budget.std.06): 30111's 人员经费
// (1,14,3; true 7.21) is blotted. Its row reads 合计 "7.21" (PP-OCR, 0.52;
// Tesseract "7.2" at 0.77 — its last digit lost) and 公用经费 0.00. A reading
// that lost its tail states no other amount: the row determines 7.21.
TEST(ValidateDamaged, ReadingThatLostItsTailIsNoDisagreement) {
    Document d = real_pre_values("genstd-0003-p8-10-damaged-s2.s10.pre.json");
    const Cell& total = *d.tables[1].at(14, 2);
    ASSERT_EQ(total.text, "7.21");
    const Cell& c = *d.tables[1].at(14, 3);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    ASSERT_TRUE(c.value.has_value());
    EXPECT_NEAR(*c.value, 7.21, 1e-9);
}

// real-putuo-dept-budget-2026.p18-20.damaged.s2 p3 (budget.sh.08, the 302
// block torn at its corner): 30226's 合计 (2,6,3; true 40000.00) is blotted;
// its row states 0.00 + 40000.00, the 40000.00 read alike by PP-OCR (0.98) and
// Tesseract (0.67). The 302 block fails in 公用经费, where torn cells read "2"
// at 0.10 and "1" at 0.44: two engines' agreement keeps 40000.00 out of that
// doubt, and the row determines the 合计.
TEST(ValidateDamaged, CellTwoEnginesReadAlikeStaysSureInAFailingBlock) {
    Document d = real_pre_values("deptbudget-p18-20-damaged-s2.s10.pre.json");
    const Cell& term = *d.tables[2].at(6, 5);
    ASSERT_EQ(term.text, "40000.00");
    const Cell& c = *d.tables[2].at(6, 3);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered);
    ASSERT_TRUE(c.value.has_value());
    EXPECT_NEAR(*c.value, 40000.0, 1e-9);
}

// real-putuo-unit-budget-2026.p9-11.damaged p1 (budget.sh.02, the fixture of
// BlockFailingInAnotherColumnDoesNotDetermine): the 财政拨款收入 header was read
// "财政发款收人". The schema stage snaps it to the vocabulary; the column must
// then carry that field in every record, as it does on the next page — before,
// the grid was read with the unsnapped header, the page's lines had no
// 财政拨款收入, and 合计 = Σ 类 in that column failed across the two pages.
TEST(ValidateDamaged, SnappedHeaderNamesItsColumn) {
    Document d = real_pre_values("unitbudget-p9-11-damaged.pre.json");
    ASSERT_EQ(d.tables[0].at(1, 5)->text, "财政发款收人");
    for (auto& t : d.tables) t.records = nullptr;
    apply_schemas(d, schemas(), lexicon());
    const Table& t = d.tables[0];
    ASSERT_EQ(t.schema.value_or(""), "budget.sh.02");
    EXPECT_EQ(t.at(1, 5)->text, "财政拨款收入");
    ASSERT_TRUE(t.records.is_array());
    int with_field = 0, coded = 0;
    for (const auto& rec : t.records) {
        if (!rec.contains("code")) continue;
        ++coded;
        if (rec["fields"].contains("财政拨款收入")) {
            ++with_field;
            EXPECT_EQ(rec["fields"]["财政拨款收入"]["cell"][1].get<int>(), 5);
        }
    }
    EXPECT_GT(coded, 5);
    EXPECT_EQ(with_field, coded);
}

// Session 11 fixtures (tests/data/validate/README.md).
//
// real-putuo-gov-office-2025-budget.p15-17.damaged p1 (budget.sh.05): the
// 合计 row's 合计 (0,10,4; true 91,016,775.35) is blotted. Its row states
// 基本支出 24,606,775.35 — chosen from Tesseract's "24,606,775.35" at 0.0, the
// same engine reading ")。24, 606, 775. 35" at 0.73 (a stain's edge before
// it), PP-OCR "24,606,75.35" (a digit lost: no number) — and 项目支出
// 66,410,000.00. A reading that states the amount once the stain's marks are
// set aside vouches for it: the row determines the 合计. Without that reading
// the term is too unsure to.
TEST(ValidateDamaged, AReadingWithAStainsMarksVouchesForItsAmount) {
    Document d = real_pre_values("govoffice-p15-17-damaged.s11.pre.json");
    const Cell& term = *d.tables.at(0).at(10, 5);
    ASSERT_EQ(term.text, "24,606,775.35");
    ASSERT_LT(term.confidence, 0.3);
    const Cell& c = *d.tables.at(0).at(10, 4);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered) << unrecoverable_reason(d, 0, 10, 4);
    EXPECT_NEAR(c.value.value_or(-1), 91016775.35, 1e-6);
    EXPECT_TRUE(changed_by(c, "budget.sh.05:row_合计"));

    Document off = real_pre_values("govoffice-p15-17-damaged.s11.pre.json");
    Cell& t2 = *off.tables.at(0).at(10, 5);
    bool had = false;
    for (auto& r : t2.readings)
        if (r.text.find("775. 35") != std::string::npos) {
            r.text = "人";  // nothing numeric behind the chosen text
            had = true;
        }
    ASSERT_TRUE(had);
    validate_document(off, schemas(), options());
    EXPECT_NE(off.tables.at(0).at(10, 4)->source, Source::Recovered);
}

// real-putuo-unit-budget-2026.p9-11.damaged p3 (budget.sh.03, session 9's
// fixture): 2080505's 基本支出 (2,14,5; true 1,572,307.00) is blotted; its
// 合计 reads "1,572,307.004" (Tesseract, 0.30; PP-OCR "1,572,0.00", no
// number) and 项目支出 0.00. One digit after the last one the column prints
// is a speck (the cell's right ruling): the amount is 1,572,307.00. The row
// determines the blotted cell, and the 合计 is corrected to what the page
// prints (raw reading kept, how "speck_decimal"). Two extra digits are no
// speck: nothing is determined.
TEST(ValidateDamaged, ADigitAfterTheColumnsDecimalsIsASpeck) {
    Document d = real_pre_values("unitbudget-p9-11-damaged.s8.pre.json");
    const Cell& term = *d.tables.at(2).at(14, 4);
    ASSERT_EQ(term.text, "1,572,307.004");
    const Cell& c = *d.tables.at(2).at(14, 5);
    ASSERT_TRUE(c.obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Recovered) << unrecoverable_reason(d, 2, 14, 5);
    EXPECT_NEAR(c.value.value_or(-1), 1572307.00, 1e-6);
    EXPECT_TRUE(changed_by(c, "budget.sh.03:row_合计"));
    EXPECT_EQ(term.text, "1,572,307.00");
    EXPECT_EQ(term.raw_text, "1,572,307.004");
    EXPECT_EQ(term.source, Source::Ocr);
    EXPECT_EQ(term.provenance.value("how", ""), "speck_decimal");

    Document off = real_pre_values("unitbudget-p9-11-damaged.s8.pre.json");
    Cell& t2 = *off.tables.at(2).at(14, 4);
    t2.text = "1,572,307.0041";
    t2.value = 1572307.0041;
    validate_document(off, schemas(), options());
    EXPECT_NE(off.tables.at(2).at(14, 5)->source, Source::Recovered);
}

// real-putuo-gov-office-unit-2025-budget.p14-16.damaged.s2 p2 (budget.sh.05,
// session 5's fixture): 2210203's 基本支出 (1,9,5; true 1,867,680.00) sits
// above the blotted 合计 of its column, in the stain around the blot; Tesseract
// read "867, 680. 00" at 0.96, the leading "1," faded. Its row (合计
// 1,867,680.00 = 基本 + 项目 blank) and block 22102 (3,609,125.22 =
// 1,741,445.22 + it) both fail by exactly 1,000,000 and were reported as the
// page's own inconsistencies. Beside an obscured cell a sure reading is
// suspect of the leading digit a blot's rim hides, and two identities must
// hold with it: it is corrected, raw reading kept. With only one identity
// holding it is not, and what fails is reported.
TEST(ValidateDamaged, LeadingDigitHiddenBesideABlotIsCorrectedByTwoIdentities) {
    Document d = real_pre_values("govofficeunit-p14-16-damaged-s2.pre.json");
    const Cell& c = *d.tables.at(1).at(9, 5);
    ASSERT_EQ(c.text, "867,680.00");
    ASSERT_GE(c.confidence, 0.9);
    ASSERT_TRUE(d.tables.at(1).at(10, 5)->obscured);
    validate_document(d, schemas(), options());
    EXPECT_EQ(c.source, Source::Ocr);
    EXPECT_EQ(c.text, "1,867,680.00");
    EXPECT_NEAR(c.value.value_or(-1), 1867680.0, 1e-6);
    EXPECT_EQ(c.raw_text.empty() ? std::string() : c.raw_text.substr(0, 3), "867");
    ASSERT_TRUE(c.provenance.contains("corrected_by"));
    EXPECT_EQ(c.provenance["corrected_by"].size(), 2u);
    for (const auto* f : findings_at(d, 1, 9, 5)) EXPECT_NE(f->kind, "sum_mismatch") << f->message;

    Document one = real_pre_values("govofficeunit-p14-16-damaged-s2.pre.json");
    Cell& total = *one.tables.at(1).at(9, 4);
    total.text = "1,867,681.00";  // the row no longer holds with the candidate
    total.value = 1867681.0;
    for (auto& r : total.readings) r.text = total.text;
    validate_document(one, schemas(), options());
    EXPECT_EQ(one.tables.at(1).at(9, 5)->text, "867,680.00");
    EXPECT_FALSE(one.tables.at(1).at(9, 5)->provenance.contains("corrected_by"));
}

// real-putuo-gov-office-unit-2025-budget.p14-16.damaged p1 (budget.sh.05): a
// tear took the tail of 210's 合计 (0,15,4; true 1,097,073.43), read "1,097"
// at 0.99 in a column that prints cents. Block 210 (= its 款 21011 on the
// next page) then fails by 1,095,976.43. A reading with fewer decimals than
// its column lost its tail, however sure: the failure is "uncertain", not the
// page's own inconsistency. The same cell read in full is no such doubt.
// (Tail correction off: here no identity restores the tail — see
// ALostTailIsRestoredWhenSureTermsNeedAnAmountThatBeginsWithIt for when one does.)
TEST(ValidateDamaged, FailureOnAReadingThatLostItsTailIsNoSourceError) {
    auto origin_of_210 = [](const Document& d) {
        for (const auto* f : findings_at(d, 0, 15, 4))
            if (f->kind == "sum_mismatch" && f->detail.value("identity_kind", "") == "hierarchy")
                return f->detail.value("origin", "");
        return std::string("(none)");
    };
    ValidateOptions o = options();
    o.settings.tail_min_digits = 0;
    Document d = real_pre_values("govofficeunit-p14-16-damaged.s11.pre.json");
    ASSERT_EQ(d.tables.at(0).at(15, 4)->text, "1,097");
    ASSERT_GE(d.tables.at(0).at(15, 4)->confidence, 0.9);
    validate_document(d, schemas(), o);
    EXPECT_EQ(origin_of_210(d), "uncertain");

    Document full = real_pre_values("govofficeunit-p14-16-damaged.s11.pre.json");
    Cell& c = *full.tables.at(0).at(15, 4);
    c.text = "1,097,000.00";  // read in full, still not the sum: the page's own
    c.value = 1097000.0;
    for (auto& r : c.readings) r.text = c.text;
    validate_document(full, schemas(), options());
    EXPECT_EQ(origin_of_210(full), "source");
}

// The same page (session 11's output): 210's 合计 "1,097" (0,15,4) lost its
// tail under a tear; its block is its one 款 21011 on the next page
// (1,1,3,4: 1,097,073.43, read at 1.00), which begins with every digit read:
// the tail is restored (source stays "ocr", how "tail", raw reading kept).
// With it, the 合计 row's total (1,10,4), read "91,016,775.34" by Tesseract
// at 0.0 and "91,016,775.3" by PP-OCR beside the blot on its 基本支出, is
// what the 类 lines sum to, 91,016,775.35 — a tail again — and the blotted
// 基本支出 (1,10,5) is recovered from its row: 24,606,775.35. Controls: a
// 21011 whose digits do not begin with "1097", or read unsure, restores
// nothing, and nothing is recovered.
TEST(ValidateDamaged, ALostTailIsRestoredWhenSureTermsNeedAnAmountThatBeginsWithIt) {
    Document d = real_pre_values("govofficeunit-p14-16-damaged.s11.pre.json");
    ASSERT_EQ(d.tables.at(0).at(15, 4)->text, "1,097");
    ASSERT_TRUE(d.tables.at(1).at(10, 5)->obscured);
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables.at(0).at(15, 4);
    EXPECT_EQ(c.source, Source::Ocr);
    EXPECT_EQ(c.text, "1,097,073.43");
    EXPECT_EQ(c.raw_text, "1,097");
    EXPECT_EQ(c.provenance.value("how", ""), "tail");
    EXPECT_FALSE(c.provenance.contains("lost_tail"));
    const Cell& total = *d.tables.at(1).at(10, 4);
    EXPECT_EQ(total.text, "91,016,775.35");
    EXPECT_EQ(total.provenance.value("how", ""), "tail");
    const Cell& hidden = *d.tables.at(1).at(10, 5);
    EXPECT_EQ(hidden.source, Source::Recovered);
    EXPECT_NEAR(hidden.value.value_or(-1), 24606775.35, 1e-6);

    for (int variant = 0; variant < 2; ++variant) {
        Document off = real_pre_values("govofficeunit-p14-16-damaged.s11.pre.json");
        Cell& item = *off.tables.at(1).at(3, 4);
        ASSERT_EQ(item.text, "1,097,073.43");
        if (variant == 0) {
            item.text = "1,098,073.43";
            item.value = 1098073.43;
            for (auto& r : item.readings) r.text = item.text;
        } else {
            item.confidence = 0.5;
            for (auto& r : item.readings) r.confidence = std::min(r.confidence, 0.5);
        }
        validate_document(off, schemas(), options());
        EXPECT_EQ(off.tables.at(0).at(15, 4)->text, "1,097") << variant;
        EXPECT_NE(off.tables.at(1).at(10, 5)->source, Source::Recovered) << variant;
    }
}

// s2 of the same page (this session's output): 210's 合计 is read "1" at
// 0.95 — one digit of 1,097,073.43, the rest torn away — and the total
// "91,016,775.38" (PP-OCR 0.52; "…775.33" at 0.48, Tesseract "…775.39"): the
// tail restores 210 from its sure 款, the total then takes the alternative
// 5 its engine offered for the disputed last digit, and the blotted 基本支出
// is recovered from its row although its engines read the total differently
// (identities decided between them).
TEST(ValidateDamaged, ARecoveryMayRestOnATotalTheIdentitiesCorrected) {
    Document d = real_pre_values("govofficeunit-p14-16-damaged-s2.s12.pre.json");
    ASSERT_EQ(d.tables.at(0).at(15, 4)->text, "1");
    ASSERT_EQ(d.tables.at(1).at(10, 4)->text, "91,016,775.38");
    validate_document(d, schemas(), options());
    EXPECT_EQ(d.tables.at(0).at(15, 4)->text, "1,097,073.43");
    const Cell& total = *d.tables.at(1).at(10, 4);
    EXPECT_EQ(total.text, "91,016,775.35");
    EXPECT_EQ(total.source, Source::Ocr);
    const Cell& hidden = *d.tables.at(1).at(10, 5);
    EXPECT_EQ(hidden.source, Source::Recovered);
    EXPECT_NEAR(hidden.value.value_or(-1), 24606775.35, 1e-6);

    ValidateOptions o = options();
    o.settings.tail_min_digits = 2;  // "1" is then too short to say whose tail is lost
    Document off = real_pre_values("govofficeunit-p14-16-damaged-s2.s12.pre.json");
    validate_document(off, schemas(), o);
    EXPECT_EQ(off.tables.at(0).at(15, 4)->text, "1");
    EXPECT_EQ(off.tables.at(1).at(10, 4)->text, "91,016,775.38");
    EXPECT_NE(off.tables.at(1).at(10, 5)->source, Source::Recovered);
}

// The same page with 20805's 基本支出 made 2,000,000.00: the block (open at the
// table's end) then bounds its lines, and 561,240.00 + the recovered
// 1,572,307.00 exceed it — the recovery is put back, and so is the speck
// correction that came with it: the 合计 says what was read.
TEST(ValidateDamaged, ASpeckCutIsPutBackWithTheRecoveryItMade) {
    Document d = real_pre_values("unitbudget-p9-11-damaged.s8.pre.json");
    Cell& block = *d.tables.at(2).at(12, 5);
    ASSERT_EQ(block.text, "2,925,857.00");
    block.text = "2,000,000.00";
    block.value = 2000000.0;
    for (auto& r : block.readings) r.text = block.text;
    validate_document(d, schemas(), options());
    const Cell& c = *d.tables.at(2).at(14, 5);
    EXPECT_NE(c.source, Source::Recovered);
    const Cell& term = *d.tables.at(2).at(14, 4);
    EXPECT_EQ(term.text, "1,572,307.004");
    EXPECT_FALSE(term.provenance.contains("corrected_by"));
}

// The same page: "1,097" (210's 合计 under a tear, true 1,097,073.43) read at
// 0.99 lost its tail; such readings were right 5 times in 24 on the damaged
// set and the small corpus. Its confidence is capped at
// lost_tail.max_confidence (models/validate/settings.json) and says so in
// provenance; an amount with its cents, and the cap set to 1, are left alone.
// (Tail correction off, as where no identity restores it.)
TEST(ValidateDamaged, AnAmountThatLostItsTailIsNotSure) {
    Document d = real_pre_values("govofficeunit-p14-16-damaged.s11.pre.json");
    ASSERT_EQ(d.tables.at(0).at(15, 4)->text, "1,097");
    ValidateOptions o = options();
    o.settings.tail_min_digits = 0;
    ASSERT_LT(o.settings.lost_tail_max_confidence, 0.5);
    validate_document(d, schemas(), o);
    const Cell& c = *d.tables.at(0).at(15, 4);
    EXPECT_LE(c.confidence, o.settings.lost_tail_max_confidence + 1e-9);
    EXPECT_TRUE(c.provenance.value("lost_tail", false));
    const Cell& whole = *d.tables.at(0).at(9, 4);  // 4,213,779.28
    ASSERT_EQ(whole.text, "4,213,779.28");
    EXPECT_GE(whole.confidence, 0.9);
    EXPECT_FALSE(whole.provenance.contains("lost_tail"));

    Document off = real_pre_values("govofficeunit-p14-16-damaged.s11.pre.json");
    o.settings.lost_tail_max_confidence = 1.0;
    validate_document(off, schemas(), o);
    EXPECT_GE(off.tables.at(0).at(15, 4)->confidence, 0.9);
}
