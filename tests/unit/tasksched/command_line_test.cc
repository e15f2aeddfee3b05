// Tests of Windows command-line quoting against the rules CommandLineToArgvW
// documents for the arguments after the program name.

#include "tasksched/command_line.h"

#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace omnicron::tasksched {
namespace {

// A reference reader written from Microsoft's description of
// CommandLineToArgvW ("Parsing C++ command-line arguments"), independent of
// the quoting code: blanks outside quotes split arguments; 2n backslashes
// then '"' give n backslashes and toggle quoting; 2n+1 backslashes then '"'
// give n backslashes and a literal '"'; backslashes not before a '"' are
// literal.
std::vector<std::string> parse_like_windows(const std::string& line) {
  std::vector<std::string> args;
  std::size_t i = 0;
  const std::size_t n = line.size();
  while (true) {
    while (i < n && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == n) break;
    std::string arg;
    bool quoted = false;
    while (i < n) {
      const char c = line[i];
      if (!quoted && (c == ' ' || c == '\t')) break;
      if (c == '\\') {
        std::size_t k = 0;
        while (i < n && line[i] == '\\') {
          ++k;
          ++i;
        }
        if (i < n && line[i] == '"') {
          arg.append(k / 2, '\\');
          if (k % 2 == 1) {
            arg += '"';
            ++i;
          }
        } else {
          arg.append(k, '\\');
        }
        continue;
      }
      if (c == '"') {
        quoted = !quoted;
        ++i;
        continue;
      }
      arg += c;
      ++i;
    }
    args.push_back(arg);
  }
  return args;
}

TEST(CommandLineTest, PlainArgumentsStayAsTheyAre) {
  EXPECT_EQ(quote_windows_argument("manage.py"), "manage.py");
  EXPECT_EQ(quote_windows_argument(R"(C:\crm\venv\Scripts\python.exe)"),
            R"(C:\crm\venv\Scripts\python.exe)");
  // Backslashes are literal when no quote follows, even a trailing one.
  EXPECT_EQ(quote_windows_argument(R"(C:\dir\)"), R"(C:\dir\)");
  EXPECT_EQ(quote_windows_argument(R"(\\nas\ana\Documents)"), R"(\\nas\ana\Documents)");
}

TEST(CommandLineTest, EmptyArgumentIsTwoQuotes) {
  EXPECT_EQ(quote_windows_argument(""), R"("")");
  EXPECT_EQ(windows_command_line({"", "a", ""}), R"("" a "")");
}

TEST(CommandLineTest, BlanksAreQuoted) {
  EXPECT_EQ(quote_windows_argument("a b"), R"("a b")");
  EXPECT_EQ(quote_windows_argument("a\tb"), "\"a\tb\"");
  EXPECT_EQ(quote_windows_argument(" "), R"(" ")");
}

TEST(CommandLineTest, QuotesAreEscapedWithABackslash) {
  EXPECT_EQ(quote_windows_argument(R"(say "hi")"), R"("say \"hi\"")");
  EXPECT_EQ(quote_windows_argument(R"(")"), R"("\"")");
}

TEST(CommandLineTest, BackslashesBeforeAQuoteAreDoubled) {
  // a\"b: one backslash then a quote becomes three backslashes and a quote.
  EXPECT_EQ(quote_windows_argument(R"(a\"b)"), R"("a\\\"b")");
  EXPECT_EQ(quote_windows_argument(R"(a\\"b)"), R"("a\\\\\"b")");
}

TEST(CommandLineTest, TrailingBackslashesInAQuotedArgumentAreDoubled) {
  EXPECT_EQ(quote_windows_argument(R"(C:\Program Files\x\)"), R"("C:\Program Files\x\\")");
  EXPECT_EQ(quote_windows_argument(R"(a b\\)"), R"("a b\\\\")");
  // Backslashes inside, not before a quote, stay single.
  EXPECT_EQ(quote_windows_argument(R"(a\b c)"), R"("a\b c")");
}

TEST(CommandLineTest, AwkwardCasesReadBackExactly) {
  const std::vector<std::string> argv = {"",
                                         " ",
                                         "\"",
                                         "\\",
                                         "\\\"",
                                         "a\\",
                                         "a b\\",
                                         "\\\\server\\share\\",
                                         "x\"y\"z",
                                         "\"\"",
                                         "tab\there",
                                         "100%",
                                         "--opt=\"v w\"",
                                         "é ü"};
  EXPECT_EQ(parse_like_windows(windows_command_line(argv)), argv);
}

TEST(CommandLineTest, RandomArgvRoundTripsThroughTheReferenceParser) {
  std::mt19937 rng(20261122);
  const std::string alphabet = "ab \t\"\\\\\\x";
  std::uniform_int_distribution<int> count(1, 6);
  std::uniform_int_distribution<int> length(0, 8);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
  for (int round = 0; round < 20000; ++round) {
    std::vector<std::string> argv(static_cast<std::size_t>(count(rng)));
    for (auto& arg : argv) {
      const int len = length(rng);
      for (int k = 0; k < len; ++k) arg += alphabet[pick(rng)];
    }
    const std::string line = windows_command_line(argv);
    ASSERT_EQ(parse_like_windows(line), argv) << "line: [" << line << "]";
  }
}

}  // namespace
}  // namespace omnicron::tasksched
