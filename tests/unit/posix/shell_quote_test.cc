#include "posix/shell_quote.h"

#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace omnicron::posix {
namespace {

TEST(ShellQuoteTest, LeavesPlainWordsBare) {
  EXPECT_EQ(sh_quote("/srv/crm/venv/bin/python"), "/srv/crm/venv/bin/python");
  EXPECT_EQ(sh_quote("manage.py"), "manage.py");
  EXPECT_EQ(sh_quote("--since=2026-01-01"), "'--since=2026-01-01'");
}

TEST(ShellQuoteTest, QuotesEverythingTheShellWouldTouch) {
  EXPECT_EQ(sh_quote(""), "''");
  EXPECT_EQ(sh_quote("a b"), "'a b'");
  EXPECT_EQ(sh_quote("$HOME"), "'$HOME'");
  EXPECT_EQ(sh_quote("~"), "'~'");
  EXPECT_EQ(sh_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(sh_quote("a\\b"), "'a\\b'");
  EXPECT_EQ(sh_quote("*.log"), "'*.log'");
}

TEST(ShellQuoteTest, JoinsWords) {
  EXPECT_EQ(sh_join({"echo", "a b", "c"}), "echo 'a b' c");
}

TEST(CrontabEscapeTest, DoublesBackslashesAndEscapesPercent) {
  EXPECT_EQ(crontab_escape("date +%F"), "date +\\%F");
  EXPECT_EQ(crontab_escape("a\\b"), "a\\\\b");
  EXPECT_EQ(crontab_escape("\\%"), "\\\\\\%");
  EXPECT_EQ(crontab_escape("plain"), "plain");
}

// The quoting is checked against the real /bin/sh: every awkward word must
// come back from the shell exactly as it went in.
TEST(ShellQuoteTest, RealShellReceivesExactArgv) {
  const std::vector<std::string> words = {
      "a b", "it's", "\"dq\"", "$HOME", "`id`", "\\", "%", "*", "~", "é ü", "-n", "",
      "a\tb", "!x", "#c", "x;y", "(p)", "{a,b}"};
  std::string command = "printf '[%s]\\n' " + sh_join(words);
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string output;
  char buffer[256];
  while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
  ASSERT_EQ(pclose(pipe), 0);
  std::string expected;
  for (const auto& w : words) expected += "[" + w + "]\n";
  EXPECT_EQ(output, expected);
}

}  // namespace
}  // namespace omnicron::posix
