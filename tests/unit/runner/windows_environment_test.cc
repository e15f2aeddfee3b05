// The pure parts of the Windows runner: its environment, where it looks for
// a program, and where a job's files live (shared with POSIX).
#include <gtest/gtest.h>

#include "runner/job_dir.h"
#include "runner/run_options.h"

namespace omnicron::runner {
namespace {

TEST(WindowsEnvironmentTest, OverrideReplacesAVariableWhateverItsCase) {
  const Environment inherited = {{"Path", "C:\\Windows"}, {"TEMP", "C:\\t"}};
  const Environment env = windows_job_environment(inherited, {{"PATH", "C:\\only"}});
  EXPECT_EQ(env, (Environment{{"PATH", "C:\\only"}, {"TEMP", "C:\\t"}}));
}

TEST(WindowsEnvironmentTest, SortsByNameWithoutRegardToCase) {
  const Environment inherited = {{"b", "1"}, {"=C:", "C:\\"}, {"A", "2"}};
  const Environment env = windows_job_environment(inherited, {{"a_b", "3"}});
  EXPECT_EQ(env, (Environment{{"=C:", "C:\\"}, {"A", "2"}, {"a_b", "3"}, {"b", "1"}}));
}

TEST(WindowsEnvironmentTest, ReadsAVariableWhateverItsCase) {
  EXPECT_EQ(windows_variable({{"Path", "x"}}, "PATH"), "x");
  EXPECT_EQ(windows_variable({{"Path", "x"}}, "PATHEXT"), "");
}

TEST(WindowsEnvironmentTest, ProgramWithAFolderIsItselfTriedWithExeFirst) {
  EXPECT_EQ(windows_program_candidates("C:\\tools\\run", "C:\\x"),
            (std::vector<std::string>{"C:\\tools\\run.exe", "C:\\tools\\run"}));
  EXPECT_EQ(windows_program_candidates("./run.cmd", "C:\\x"),
            (std::vector<std::string>{"./run.cmd"}));
}

TEST(WindowsEnvironmentTest, BareProgramIsLookedUpInEveryPathFolder) {
  EXPECT_EQ(windows_program_candidates("tool", "C:\\a;;C:\\b\\"),
            (std::vector<std::string>{"C:\\a\\tool.exe", "C:\\a\\tool", "C:\\b\\tool.exe",
                                      "C:\\b\\tool"}));
  EXPECT_EQ(windows_program_candidates("tool.exe", "C:\\a"),
            (std::vector<std::string>{"C:\\a\\tool.exe"}));
}

TEST(JobDirTest, EscapesEachPartIntoOneFileName) {
  EXPECT_EQ(safe_file_name("a b/%"), "a%20b%2F%25");
  EXPECT_EQ(job_dir("state", JobId{"ns:1", "back up"}),
            std::filesystem::path("state") / "jobs" / "ns%3A1" / "back%20up");
}

}  // namespace
}  // namespace omnicron::runner
