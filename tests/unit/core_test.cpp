// Tests of the core utilities: line reading (plain/gz, corruption), CSV, atomic files, hashing.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "prism/atomic_file.h"
#include "prism/csv.h"
#include "prism/error.h"
#include "prism/hash.h"
#include "prism/line_reader.h"
#include "test_util.h"

namespace prism {
namespace {

TEST(LineReader, PlainAndGzipGiveSameLinesWithNumbers) {
  TempDir dir;
  std::string plain = dir.Write("a.txt", "x\r\ny\n\nlast");
  std::string gz = dir.WriteGz("a.txt.gz", "x\r\ny\n\nlast");
  for (const auto& path : {plain, gz}) {
    LineReader r(path);
    std::string line;
    std::vector<std::string> got;
    while (r.Next(&line)) got.push_back(line);
    EXPECT_EQ(got, (std::vector<std::string>{"x", "y", "", "last"}));
    EXPECT_EQ(r.line_number(), 4);
  }
}

TEST(LineReader, TruncatedGzipIsAnErrorNamingTheFile) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "line " + std::to_string(i * 7919) + "\n";
  std::string gz = dir.WriteGz("t.csv.gz", text);
  std::filesystem::resize_file(gz, std::filesystem::file_size(gz) / 2);
  LineReader r(gz);
  std::string line;
  try {
    while (r.Next(&line)) {}
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("t.csv.gz:"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("corrupt or truncated compressed data"),
              std::string::npos) << e.what();
  }
}

TEST(LineReader, MissingFileIsAnError) {
  EXPECT_THROW(LineReader("/nonexistent/x.csv"), InputError);
}

TEST(Csv, QuotedFieldsAndWidthCheck) {
  std::vector<std::string> f;
  SplitCsv("a,\"b,c\",\"d\"\"e\",", &f);
  EXPECT_EQ(f, (std::vector<std::string>{"a", "b,c", "d\"e", ""}));
  TempDir dir;
  std::string p = dir.Write("r.csv", "x,y\n1,2\n3\n");
  CsvReader csv(p);
  ASSERT_TRUE(csv.Next());
  EXPECT_EQ(csv.Long(0), 1);
  ExpectInputError([&] { csv.Next(); }, "r.csv:3: expected 2 fields, found 1");
}

TEST(Csv, TypedFieldErrorsNameColumn) {
  TempDir dir;
  CsvReader csv(dir.Write("t.csv", "label,score\n2,abc\n"));
  ASSERT_TRUE(csv.Next());
  ExpectInputError([&] { csv.Label(0); }, "t.csv:2:1: column 'label': expected a label 0 or 1, found '2'");
  ExpectInputError([&] { csv.Double(1); }, "t.csv:2:2: column 'score': expected a number, found 'abc'");
}

TEST(Csv, EmptyFile) {
  TempDir dir;
  ExpectInputError([&] { CsvReader csv(dir.Write("e.csv", "")); }, "e.csv:1: empty file");
}

TEST(AtomicFile, NothingWrittenWithoutCommit) {
  TempDir dir;
  std::string p = dir.path() + "/out.txt";
  {
    AtomicFile f(p);
    f << "partial";
  }
  EXPECT_FALSE(std::filesystem::exists(p));
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
  {
    AtomicFile f(p);
    f << "whole";
    f.Commit();
  }
  EXPECT_EQ(ReadFile(p), "whole\n");
}

TEST(Hash, StableAndContentSensitive) {
  EXPECT_EQ(HashHex("abc"), HashHex("abc"));
  EXPECT_NE(HashHex("abc"), HashHex("abd"));
  EXPECT_EQ(HashHex("abc").size(), 16u);
  Hasher h;
  h.Update("a").Update("bc");
  EXPECT_EQ(h.Hex(), HashHex("abc"));
}

}  // namespace
}  // namespace prism
