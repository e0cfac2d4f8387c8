// CSV and XLSX exports, read back: the XLSX is unzipped and its sheet XML
// checked (numbers are numeric cells, merges are merges, records and findings
// are there); the CSVs are compared byte for byte.
#include "output/csv_writer.hpp"
#include "output/xlsx_writer.hpp"
#include "service/exports.hpp"
#include "pipeline/pipeline.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;
using namespace fiscan;

namespace {

json cell(int r, int c, const std::string& text, json value = nullptr, int rs = 1, int cs = 1, double conf = 0.99,
          const std::string& source = "text-layer") {
    return {{"row", r}, {"col", c}, {"row_span", rs}, {"col_span", cs}, {"bbox", {0, 0, 1, 1}},
            {"text", text}, {"value", value}, {"confidence", conf}, {"source", source}};
}

// A 4x3 table: a merged header over two columns, a two-row merged label, numbers.
json sample_doc() {
    json t1 = {{"page", 4}, {"title", "收入支出决算总表"}, {"unit", "万元"}, {"schema", "final.01"}, {"n_rows", 4}, {"n_cols", 3},
               {"continues", nullptr},
               {"cells", json::array({cell(0, 0, "项目"), cell(0, 1, "决算数", nullptr, 1, 2),
                                      cell(1, 0, "一般公共预算", nullptr, 2, 1), cell(1, 1, "1,234.50", 1234.5), cell(1, 2, "7", 7),
                                      cell(2, 1, "810.16", 810.16, 1, 1, 0.5, "ocr"), cell(2, 2, "", nullptr, 1, 1, 0.0, "empty"),
                                      cell(3, 0, "合计, \"总\""), cell(3, 1, "2044.66", 2044.66, 1, 1, 0.9, "recovered"),
                                      cell(3, 2, "-")})},
               {"records", json::array({{{"code", "2010301"}, {"name", "行政运行"}, {"level", 3},
                                         {"fields", {{"total", {{"value", 12.5}, {"text", "12.50"}}},
                                                     {"basic", {{"value", nullptr}, {"text", ""}}}}}},
                                        {{"code", nullptr}, {"name", "合计"},
                                         {"fields", {{"total", {{"value", 12.5}, {"text", "12.50"}}}, {"other", {{"value", 3}, {"text", "3"}}}}}}})}};
    json t2 = {{"page", 5}, {"title", "收入决算表: [续]"}, {"unit", ""}, {"schema", nullptr}, {"n_rows", 1}, {"n_cols", 2},
               {"continues", 0},
               {"cells", json::array({cell(0, 0, "收入"), cell(0, 1, "5", 5)})},
               {"records", {{"income", json::array({{{"key", "total"}, {"name", "收入总计"}, {"fields", {{"amount", {{"value", 9.25}, {"text", "9.25"}}}}}}})},
                            {"expense", json::array({{{"key", "class:201"}, {"code", "201"}, {"name", "一般公共服务支出"},
                                                      {"fields", {{"amount", {{"value", 4}, {"text", "4.00"}}}}}}})}}}};
    json findings = json::array({{{"kind", "sum_mismatch"}, {"severity", "error"}, {"table", 0}, {"page", 4},
                                  {"cells", {{3, 1}}}, {"message", "合计 2044.66 ≠ 2044.67"}},
                                 {{"kind", "no_schema"}, {"severity", "warning"}, {"table", 1}, {"cells", json::array()},
                                  {"message", "no schema"}}});
    return {{"schema_version", "1"}, {"document", {{"file", "x.pdf"}, {"sha256", "00"}, {"page_count", 5}}},
            {"pages", json::array()}, {"tables", {t1, t2}}, {"findings", findings}};
}

struct TempDir {
    fs::path path;
    TempDir() {
        std::string t = (fs::temp_directory_path() / "fiscan-exports-XXXXXX").string();
        path = ::mkdtemp(t.data());
    }
    ~TempDir() { fs::remove_all(path); }
};

std::string unzip(const fs::path& zip, const std::string& member) {
    std::string cmd = "unzip -p '" + zip.string() + "' '" + member + "' 2>/dev/null";
    std::string out;
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) return out;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
    ::pclose(p);
    return out;
}

std::string read_text(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// The <c> element of cell `ref` ("B5") in a sheet's XML, "" when absent.
std::string xml_cell(const std::string& sheet, const std::string& ref) {
    std::smatch m;
    std::regex re("<c r=\"" + ref + "\"[^>]*?(/>|>.*?</c>)");
    return std::regex_search(sheet, m, re) ? m.str(0) : "";
}

}  // namespace

TEST(Exports, FormatNumberKeepsPrintedDecimals) {
    EXPECT_EQ(output::format_number(1234.5, "1,234.50"), "1234.50");
    EXPECT_EQ(output::format_number(7, "7"), "7");
    EXPECT_EQ(output::format_number(0.125, ""), "0.125");
    EXPECT_EQ(output::format_number(-3.1, "(3.10)"), "-3.10");
    EXPECT_EQ(output::printed_decimals("12.345"), 3);
}

TEST(Exports, TableCsvIsTheGridWithMergesInTheTopLeftSlot) {
    json doc = sample_doc();
    EXPECT_EQ(output::table_csv(doc["tables"][0]),
              "项目,决算数,\r\n"
              "一般公共预算,1234.50,7\r\n"
              ",810.16,\r\n"
              "\"合计, \"\"总\"\"\",2044.66,-\r\n");
}

TEST(Exports, RecordsAndFindingsCsv) {
    json doc = sample_doc();
    EXPECT_EQ(output::records_csv(doc["tables"][0]["records"]),
              "code,name,level,basic,total,other\r\n"  // fields in key order (JSON objects are sorted)
              "2010301,行政运行,3,,12.5,\r\n"
              ",合计,,,12.5,3\r\n");
    EXPECT_EQ(output::records_csv(doc["tables"][1]["records"]),
              "side,code,key,name,amount\r\n"
              "income,,total,收入总计,9.25\r\n"
              "expense,201,class:201,一般公共服务支出,4\r\n");
    EXPECT_EQ(output::findings_csv(doc["findings"]),
              "kind,severity,table,page,cells,message\r\n"
              "sum_mismatch,error,0,4,\"(3,1)\",合计 2044.66 ≠ 2044.67\r\n"
              "no_schema,warning,1,,,no schema\r\n");
    EXPECT_EQ(output::records_csv(json(nullptr)), "");
}

TEST(Exports, CsvDirHasOneFilePerTablePlusFindings) {
    TempDir d;
    auto files = output::write_csv_dir(sample_doc(), (d.path / "out.csv").string());
    std::vector<std::string> names;
    for (auto& f : files) names.push_back(fs::path(f).filename().string());
    EXPECT_EQ(names, (std::vector<std::string>{"table-01.csv", "table-01.records.csv", "table-02.csv", "table-02.records.csv", "findings.csv"}));
    EXPECT_EQ(read_text(d.path / "out.csv" / "table-02.csv"), "收入,5\r\n");
}

TEST(Exports, XlsxStoresNumbersAsNumbersWithMergesRecordsAndFindings) {
    TempDir d;
    fs::path x = d.path / "doc.xlsx";
    output::write_xlsx(sample_doc(), x.string());
    ASSERT_TRUE(fs::exists(x));
    std::string wb = unzip(x, "xl/workbook.xml");
    EXPECT_NE(wb.find("name=\"T01 p4 收入支出决算总表\""), std::string::npos) << wb;
    EXPECT_NE(wb.find("name=\"T02 p5 收入决算表_ _续\""), std::string::npos) << wb;  // ":[]" are not allowed
    EXPECT_NE(wb.find("name=\"findings\""), std::string::npos);

    std::string s1 = unzip(x, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(s1.empty());
    // Grid starts at Excel row 4. B5 = 1234.5 as a number (no t="s"), C5 = 7.
    std::string b5 = xml_cell(s1, "B5");
    EXPECT_NE(b5.find("<v>1234.5</v>"), std::string::npos) << b5;
    EXPECT_EQ(b5.find("t=\"s\""), std::string::npos) << b5;
    EXPECT_NE(xml_cell(s1, "C5").find("<v>7</v>"), std::string::npos);
    EXPECT_NE(xml_cell(s1, "B6").find("<v>810.16</v>"), std::string::npos);
    // Text is a shared string; "-" stays text.
    EXPECT_NE(xml_cell(s1, "A4").find("t=\"s\""), std::string::npos);
    EXPECT_NE(xml_cell(s1, "C7").find("t=\"s\""), std::string::npos);
    // Merges: the header over B4:C4 and the label over A5:A6.
    EXPECT_NE(s1.find("<mergeCell ref=\"B4:C4\"/>"), std::string::npos) << s1;
    EXPECT_NE(s1.find("<mergeCell ref=\"A5:A6\"/>"), std::string::npos) << s1;
    // Records block two rows under the grid (grid ends at row 7): "records" at row 10,
    // header at 11, first record at 12 with its numbers numeric.
    std::string shared = unzip(x, "xl/sharedStrings.xml");
    EXPECT_NE(shared.find("records"), std::string::npos);
    EXPECT_NE(shared.find("行政运行"), std::string::npos);
    EXPECT_NE(xml_cell(s1, "A10").find("t=\"s\""), std::string::npos);
    std::string c12 = xml_cell(s1, "C12");  // level 3
    EXPECT_NE(c12.find("<v>3</v>"), std::string::npos) << c12;
    EXPECT_EQ(c12.find("t=\"s\""), std::string::npos);
    EXPECT_NE(xml_cell(s1, "E12").find("<v>12.5</v>"), std::string::npos) << s1;  // code|name|level|basic|total
    // Number formats follow the printed decimals: a "0.00"-style format exists.
    std::string styles = unzip(x, "xl/styles.xml");
    EXPECT_NE(styles.find("formatCode=\"#,##0.00\""), std::string::npos) << styles;

    // Findings sheet: header + two rows; table index shown 1-based.
    std::string s3 = unzip(x, "xl/worksheets/sheet3.xml");
    EXPECT_NE(xml_cell(s3, "C2").find("<v>1</v>"), std::string::npos) << s3;
    EXPECT_NE(xml_cell(s3, "D2").find("<v>4</v>"), std::string::npos);
    EXPECT_NE(shared.find("sum_mismatch"), std::string::npos);
}

TEST(Exports, XlsxBytesIsAZip) {
    std::string b = output::xlsx_bytes(sample_doc());
    ASSERT_GT(b.size(), 100u);
    EXPECT_EQ(b.substr(0, 2), "PK");
}

TEST(Exports, ParseFormatsAndWriteOutputs) {
    auto f = service::parse_formats(" xlsx, csv ");
    EXPECT_FALSE(f.json);
    EXPECT_TRUE(f.csv);
    EXPECT_TRUE(f.xlsx);
    EXPECT_EQ(f.str(), "csv,xlsx");
    EXPECT_THROW(service::parse_formats("json,pdf"), InputError);
    EXPECT_THROW(service::parse_formats(""), InputError);
    TempDir d;
    service::Formats all{true, true, true};
    auto written = service::write_outputs(sample_doc(), (d.path / "sub" / "doc").string(), all);
    EXPECT_EQ(fs::path(written.back()).filename(), "doc.json");  // JSON last: the completion mark
    EXPECT_TRUE(fs::exists(d.path / "sub" / "doc.xlsx"));
    EXPECT_TRUE(fs::exists(d.path / "sub" / "doc.csv" / "findings.csv"));
    EXPECT_EQ(json::parse(read_text(d.path / "sub" / "doc.json"))["tables"].size(), 2u);
}
