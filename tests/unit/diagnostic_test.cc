#include "diagnostic.h"

#include <gtest/gtest.h>

#include "error.h"

namespace omnicron {
namespace {

TEST(DiagnosticTest, RendersLocationSourceLineCaretAndHint) {
  Diagnostic d{Severity::error, {"jobs.yaml", 3, 16}, "jobs.a.overlap",
               "unknown policy 'skp'; allowed: allow, skip, queue, replace",
               "did you mean 'skip'?"};
  const std::string source = "version: 1\njobs:\n  a: {overlap: skp}\n";
  EXPECT_EQ(render(d, source),
            "jobs.yaml:3:16: error: jobs.a.overlap: unknown policy 'skp'; allowed: "
            "allow, skip, queue, replace\n"
            "      a: {overlap: skp}\n"             + std::string(4 + 15, ' ') + "^\n" +
            "  did you mean 'skip'?\n");
}

TEST(DiagnosticTest, KeepsTabsSoTheCaretLinesUp) {
  Diagnostic d{Severity::warning, {"f.yaml", 1, 3}, "", "here", ""};
  EXPECT_EQ(render(d, "\tx: 1\r\n"), "f.yaml:1:3: warning: here\n    \tx: 1\n    \t ^\n");
}

TEST(DiagnosticTest, LeavesOutTheExcerptWhenTheLineIsMissing) {
  Diagnostic d{Severity::error, {"f.yaml", 9, 1}, "jobs", "gone", ""};
  EXPECT_EQ(render(d, "one line\n"), "f.yaml:9:1: error: jobs: gone\n");
}

TEST(DiagnosticTest, CountsErrorsNotWarnings) {
  Diagnostics all;
  all.warning({}, "a", "w");
  EXPECT_FALSE(all.has_errors());
  all.error({}, "b", "e");
  all.error({}, "c", "e");
  EXPECT_EQ(all.error_count(), 2u);
  EXPECT_EQ(all.items().size(), 3u);
}

TEST(ErrorTest, CarriesLocationNativeCodeAndContext) {
  Error e(ErrorKind::io, "cannot read manifest 'x.yaml'");
  e.at({"x.yaml", 2, 0}).with_native(2, "No such file or directory").with_context(
      "while syncing namespace 'crm'");
  EXPECT_STREQ(e.what(),
               "x.yaml:2: cannot read manifest 'x.yaml': No such file or directory "
               "(code 2)\n  while syncing namespace 'crm'");
  EXPECT_EQ(e.exit_code(), 1);
  EXPECT_EQ(Error(ErrorKind::manifest, "m").exit_code(), 2);
  EXPECT_EQ(Error(ErrorKind::usage, "u").exit_code(), 2);
}

}  // namespace
}  // namespace omnicron
