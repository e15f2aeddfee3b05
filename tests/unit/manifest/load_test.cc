#include "manifest/load.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace omnicron {
namespace {

using std::chrono::seconds;
using Lines = std::vector<std::string>;

// Each diagnostic as "line:col field: message | hint", the way a test reads
// best; warnings are marked so they cannot pass for errors.
std::vector<std::string> problems(const LoadResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics.items()) {
    std::string s = fmt::format("{}{}:{} {}: {}", d.severity == Severity::warning ? "warning " : "",
                                d.where.line, d.where.column, d.field, d.message);
    if (!d.hint.empty()) s += " | " + d.hint;
    out.push_back(s);
  }
  return out;
}

std::vector<std::string> problems(std::string_view text) {
  return problems(load_manifest(text, "jobs.yaml"));
}

// The one problem reported, or a note saying how many there were.
std::string only(const std::vector<std::string>& problems) {
  return problems.size() == 1 ? problems[0] : fmt::format("{} problems", problems.size());
}

::testing::AssertionResult contains(const std::string& text, std::string_view part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "'" << text << "' does not contain '" << part << "'";
}

// A valid manifest with one job whose extra settings are `job_lines`, each
// already indented by four spaces. The job's key is on line 3.
std::string one_job(std::string_view job_lines) {
  return fmt::format("version: 1\njobs:\n  backup:\n    schedule: \"0 2 * * *\"\n"
                     "    command: [/usr/local/bin/backup]\n{}",
                     job_lines);
}

Manifest load_ok(std::string_view text, const std::string& file = "jobs.yaml") {
  LoadResult r = load_manifest(text, file);
  EXPECT_EQ(problems(r), Lines{});
  return std::move(r.manifest);
}

// ---------------------------------------------------------------------------
// Valid manifests.

TEST(LoadManifestTest, LoadsEveryExample) {
  std::filesystem::path dir = std::filesystem::path(OMNICRON_SOURCE_DIR) / "examples";
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".yaml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    LoadResult r = load_manifest(text.str(), entry.path().string());
    EXPECT_FALSE(r.diagnostics.has_errors()) << entry.path() << "\n"
                                             << ::testing::PrintToString(problems(r));
    EXPECT_FALSE(r.manifest.jobs.empty()) << entry.path();
    ++count;
  }
  EXPECT_GE(count, 3);
}

TEST(LoadManifestTest, ReadsTheCrmExample) {
  std::ifstream in(std::filesystem::path(OMNICRON_SOURCE_DIR) / "examples" / "crm.yaml");
  std::stringstream text;
  text << in.rdbuf();
  Manifest m = load_ok(text.str(), "examples/crm.yaml");
  EXPECT_EQ(m.namespace_, "crm");
  ASSERT_EQ(m.jobs.size(), 5u);
  EXPECT_EQ(m.jobs[0].name, "clean-inactive-customers");
  EXPECT_EQ(m.defaults.working_dir, "/srv/crm");
  EXPECT_EQ(m.defaults.env.at("DJANGO_SETTINGS_MODULE"), "crm.settings");
  EXPECT_EQ(m.defaults.timeout, seconds{1800});
  EXPECT_EQ(m.defaults.overlap, Overlap::skip);
  EXPECT_EQ(m.defaults_windows.working_dir, "C:\\crm");
  const Job* heartbeat = m.find_job("heartbeat");
  ASSERT_NE(heartbeat, nullptr);
  EXPECT_TRUE(heartbeat->settings.command->is_shell());
  EXPECT_EQ(heartbeat->settings.schedule->items.at(0).kind, ScheduleItem::Kind::every);
  EXPECT_EQ(heartbeat->settings.schedule->items.at(0).every, seconds{300});
  EXPECT_EQ(heartbeat->platforms, std::set<Platform>{Platform::posix});
}

TEST(LoadManifestTest, EmptyJobsMapIsValid) {
  Manifest m = load_ok("version: 1\njobs: {}\n", "/srv/crm/crm.yaml");
  EXPECT_TRUE(m.jobs.empty());
  EXPECT_EQ(m.namespace_, "crm");
  EXPECT_EQ(m.file, "/srv/crm/crm.yaml");
}

TEST(LoadManifestTest, NamespaceDefaultsToTheFileStem) {
  EXPECT_EQ(load_ok("version: 1\njobs: {}\n", "jobs.prod.yaml").namespace_, "jobs.prod");
  EXPECT_EQ(load_ok("version: 1\njobs: {}\n", "C:\\ops\\nightly.yml").namespace_, "nightly");
  EXPECT_EQ(load_ok("version: 1\nnamespace: ops\njobs: {}\n", "My Jobs.yaml").namespace_, "ops");
}

TEST(LoadManifestTest, ReadsEverySetting) {
  Manifest m = load_ok(R"(version: 1
jobs:
  backup:
    description: Nightly backup
    schedule: ["0 2 * * *", { every: 15m }, { at: ["06:00", "18:30"], days: [mon, fri] }, { on: boot }, { on: logon }]
    command: [sleep, 10, true]
    working_dir: /srv/app
    env: { PATH: /usr/bin, COUNT: 3, FLAG: false, EMPTY: "" }
    log: /var/log/{namespace}/{job}.log
    timeout: 1h30m
    overlap: queue
    retries: { count: 3, delay: 5m }
    enabled: false
    missed: run
    conditions: { ac_power: true, network: true, idle: 10m }
    run_as: postgres
    random_delay: 90s
    timezone: Europe/Berlin
    platforms: [windows, posix]
)");
  ASSERT_EQ(m.jobs.size(), 1u);
  const JobSettings& s = m.jobs[0].settings;
  EXPECT_EQ(s.description, "Nightly backup");
  ASSERT_EQ(s.schedule->items.size(), 5u);
  EXPECT_EQ(s.schedule->items[0].kind, ScheduleItem::Kind::cron);
  EXPECT_EQ(s.schedule->items[0].cron, "0 2 * * *");
  EXPECT_EQ(s.schedule->items[1].every, seconds{900});
  EXPECT_EQ(s.schedule->items[2].at, (std::vector<TimeOfDay>{{6, 0}, {18, 30}}));
  EXPECT_EQ(s.schedule->items[2].days, (std::vector<int>{1, 5}));
  EXPECT_EQ(s.schedule->items[3].kind, ScheduleItem::Kind::boot);
  EXPECT_EQ(s.schedule->items[4].kind, ScheduleItem::Kind::logon);
  EXPECT_EQ(s.schedule->items[1].where.line, 5);
  EXPECT_EQ(s.schedule->items[1].where.column, 29);
  EXPECT_EQ(s.command->argv, (std::vector<std::string>{"sleep", "10", "true"}));
  EXPECT_EQ(s.working_dir, "/srv/app");
  EXPECT_EQ(s.env, (std::map<std::string, std::string>{
                       {"PATH", "/usr/bin"}, {"COUNT", "3"}, {"FLAG", "false"}, {"EMPTY", ""}}));
  EXPECT_EQ(s.log, "/var/log/{namespace}/{job}.log");
  EXPECT_EQ(s.timeout, seconds{5400});
  EXPECT_EQ(s.overlap, Overlap::queue);
  EXPECT_EQ(s.retries, (Retries{3, seconds{300}}));
  EXPECT_EQ(s.enabled, false);
  EXPECT_EQ(s.missed, Missed::run);
  EXPECT_EQ(s.conditions, (Conditions{true, true, seconds{600}}));
  EXPECT_EQ(s.run_as, "postgres");
  EXPECT_EQ(s.random_delay, seconds{90});
  EXPECT_EQ(s.timezone, "Europe/Berlin");
  EXPECT_EQ(m.jobs[0].platforms, (std::set<Platform>{Platform::posix, Platform::windows}));
}

TEST(LoadManifestTest, AcceptsShorthands) {
  Manifest m = load_ok(R"(version: 1
jobs:
  a:
    schedule: { at: "6:05", days: weekdays }
    shell: backup --all
    retries: 2
  b:
    schedule: { at: "10:00", days: [weekends, wed] }
    command: [b]
    run_as: system
    timezone: UTC
    log: 'C:\logs\{job}.log'
    working_dir: '\\nas\share\b'
)");
  const JobSettings& a = m.jobs[0].settings;
  EXPECT_EQ(a.schedule->items[0].at, (std::vector<TimeOfDay>{{6, 5}}));
  EXPECT_EQ(a.schedule->items[0].days, (std::vector<int>{1, 2, 3, 4, 5}));
  EXPECT_EQ(a.command->shell, "backup --all");
  EXPECT_EQ(a.retries, (Retries{2, seconds{0}}));
  EXPECT_EQ(m.jobs[1].settings.schedule->items[0].days, (std::vector<int>{0, 3, 6}));
}

TEST(LoadManifestTest, AcceptsAnchorsAndALeadingDocumentMarker) {
  Manifest m = load_ok(R"(---
version: 1
jobs:
  a:
    schedule: &nightly "0 2 * * *"
    command: &python [/srv/venv/bin/python, manage.py, a]
  b:
    schedule: *nightly
    command: [/srv/venv/bin/python, manage.py, b]
...
)");
  EXPECT_EQ(m.jobs[1].settings.schedule->items[0].cron, "0 2 * * *");
}

// ---------------------------------------------------------------------------
// The file as a whole.

TEST(LoadManifestTest, EmptyFile) {
  const char* expected = "0:0 : file is empty; a manifest needs at least 'version: 1' and 'jobs:'";
  EXPECT_EQ(problems(""), (Lines{expected}));
  EXPECT_EQ(problems("  \n\n"), (Lines{expected}));
  EXPECT_EQ(problems("# nothing yet\n"), (Lines{expected}));
}

TEST(LoadManifestTest, NotYaml) {
  EXPECT_EQ(problems("version: 1\njobs: [a, b\n"), (Lines{"3:1 : not valid YAML: end of sequence flow not found | a '[' list is not closed with ']'"}));
}

TEST(LoadManifestTest, TabIndentationGetsAHint) {
  EXPECT_TRUE(contains(only(problems("version: 1\njobs:\n\tbackup: {}\n")), "| line 3 is indented with a tab; YAML allows only spaces"));
}

TEST(LoadManifestTest, TopLevelMustBeAMap) {
  EXPECT_EQ(problems("- version: 1\n"), (Lines{"1:1 : expected a map with 'version' and 'jobs' at the top level, found a "
                          "list | a manifest starts with 'version: 1' followed by 'jobs:'"}));
  EXPECT_TRUE(contains(only(problems("hello\n")), "found the string 'hello'"));
}

TEST(LoadManifestTest, RefusesASecondDocument) {
  EXPECT_EQ(problems("version: 1\njobs: {}\n---\nversion: 1\njobs: {}\n"), (Lines{"4:1 : a manifest is one YAML document, but a second one starts here | "
                          "remove the '---' line; to keep sets of jobs apart, give each its own file "
                          "and namespace"}));
}

// yaml-cpp 0.7's LoadAll() loops for ever on these (jbeder/yaml-cpp#1040);
// kept as regression cases from fuzzing.
TEST(LoadManifestTest, StrayCommaIsAnErrorNotAHang) {
  EXPECT_EQ(problems(","), (Lines{"1:1 : not valid YAML: unexpected ','"}));
  EXPECT_EQ(problems("{version: 1, jobs: {}},"), (Lines{"1:23 : not valid YAML: unexpected ','"}));
  EXPECT_EQ(problems("# yaml-language-server: $schema=x\n,version# 1\njobs: {}\n"),
            (Lines{"2:1 : not valid YAML: unexpected ','"}));
}

// The document is built and the rest of the stream counted in one pass; a
// later document, even an empty one, or a stray ',' after it, is still seen.
TEST(LoadManifestTest, OnePassStillSeesWhatFollowsTheDocument) {
  EXPECT_EQ(problems("version: 1\njobs: {}\n,\n"), (Lines{"3:1 : not valid YAML: end of map not found"}));
  EXPECT_EQ(problems("{version: 1, jobs: {}}\n,\n"), (Lines{"2:1 : not valid YAML: unexpected ','"}));
  EXPECT_EQ(problems("---\n---\nversion: 1\njobs: {}\n"),
            (Lines{"3:1 : a manifest is one YAML document, but a second one starts here | "
                   "remove the '---' line; to keep sets of jobs apart, give each its own file "
                   "and namespace"}));
  EXPECT_TRUE(problems("version: 1\njobs: {}\n...\n").empty());
}

TEST(LoadManifestTest, RefusesANulByte) {
  EXPECT_EQ(problems(std::string_view("version: 1\njobs: {}\n  \0", 23)), (Lines{"3:3 : the file contains a NUL byte; a manifest is YAML text | is this a "
                          "binary file?"}));
}

TEST(LoadManifestTest, RefusesMergeKeys) {
  EXPECT_EQ(problems(one_job("    <<: { timeout: 5m }\n")), (Lines{"6:5 jobs.backup: merge keys ('<<') are not supported | put settings "
                          "shared by every job under 'defaults:'"}));
}

TEST(LoadManifestTest, VersionAndJobsAreRequired) {
  EXPECT_EQ(problems("namespace: ops\n"), (Lines{"1:1 version: missing 'version'; this omnicron reads format version 1 | "
                          "add 'version: 1' at the top of the file",
                          "1:1 jobs: missing 'jobs'; a manifest lists its jobs under 'jobs:' | add "
                          "'jobs:' with one entry per job, or 'jobs: {}' for none"}));
}

TEST(LoadManifestTest, VersionMustBeOne) {
  EXPECT_EQ(problems("version: 2\njobs: {}\n"), (Lines{"1:10 version: unsupported format version 2; this omnicron reads version "
                          "1 | a newer omnicron may read this file"}));
  EXPECT_EQ(problems("version: \"1\"\njobs: {}\n"), (Lines{"1:10 version: expected the number 1, found the string '1' | write "
                          "'version: 1'"}));
}

TEST(LoadManifestTest, NamespaceMustBeAName) {
  EXPECT_EQ(problems("version: 1\nnamespace: CRM App\njobs: {}\n"), (Lines{"2:12 namespace: 'CRM App' is not a valid namespace; names are lower-case "
                          "letters, digits, '.', '_' and '-', starting with a letter or digit "
                          "([a-z0-9][a-z0-9._-]*) | did you mean 'crm-app'?"}));
}

TEST(LoadManifestTest, BadFileStemAsksForANamespace) {
  LoadResult r = load_manifest("version: 1\njobs: {}\n", "/home/ana/My Jobs.yaml");
  EXPECT_EQ(problems(r), (Lines{"0:0 namespace: the file name gives the namespace 'My Jobs', which is not "
                          "a valid name ([a-z0-9][a-z0-9._-]*) | set it at the top of the file, "
                          "e.g. 'namespace: my-jobs'"}));
  EXPECT_EQ(r.diagnostics.items()[0].where.file, "/home/ana/My Jobs.yaml");
}

TEST(LoadManifestTest, UnknownTopLevelKeys) {
  EXPECT_EQ(problems("version: 1\njob: {}\ntimeout: 5m\n"), (Lines{"1:1 jobs: missing 'jobs'; a manifest lists its jobs under 'jobs:' | add "
                          "'jobs:' with one entry per job, or 'jobs: {}' for none",
                          "2:1 job: unknown key 'job' | did you mean 'jobs'?",
                          "3:1 timeout: unknown key 'timeout' | settings shared by every job go "
                          "under 'defaults:'"}));
}

// ---------------------------------------------------------------------------
// Keys.

TEST(LoadManifestTest, UnknownKeyWithHint) {
  EXPECT_EQ(problems(one_job("    timout: 1h\n")), (Lines{"6:5 jobs.backup.timout: unknown key 'timout' | did you mean 'timeout'?"}));
  EXPECT_EQ(problems(one_job("    cwd: /srv\n")), (Lines{"6:5 jobs.backup.cwd: unknown key 'cwd' | did you mean 'working_dir'?"}));
  EXPECT_EQ(problems(one_job("    working-dir: /srv\n")), (Lines{"6:5 jobs.backup.working-dir: unknown key 'working-dir' | did you mean "
                          "'working_dir'?"}));
}

TEST(LoadManifestTest, UnknownKeyWithoutAGuessListsTheAllowedOnes) {
  EXPECT_EQ(problems(one_job("    conditions: { battery: false }\n")), (Lines{"6:19 jobs.backup.conditions.battery: unknown key 'battery' | allowed "
                          "keys: ac_power, network, idle"}));
}

TEST(LoadManifestTest, DuplicateKey) {
  EXPECT_EQ(problems(one_job("    timeout: 1h\n    timeout: 2h\n")), (Lines{"7:5 jobs.backup.timeout: duplicate key 'timeout'; first defined at line 6"}));
  EXPECT_EQ(problems("version: 1\njobs: {}\nversion: 1\n"), (Lines{"3:1 version: duplicate key 'version'; first defined at line 1"}));
  EXPECT_EQ(problems(one_job("    env: { A: x, A: y }\n")), (Lines{"6:18 jobs.backup.env.A: duplicate key 'A'; first defined at line 6"}));
}

TEST(LoadManifestTest, DuplicateJob) {
  EXPECT_EQ(problems(one_job("  backup:\n    schedule: \"0 3 * * *\"\n    command: [b]\n")), (Lines{"6:3 jobs.backup: duplicate job 'backup'; first defined at line 3"}));
}

// Small maps find duplicates by scanning the keys before; bigger ones (more
// than 16 keys) by a lookup table. Both must say the same.
TEST(LoadManifestTest, DuplicatesAreFoundInMapsOfAnySize) {
  for (int count : {2, 16, 17, 40}) {
    std::string text = "version: 1\njobs:\n";
    std::string env;
    for (int i = 0; i < count; ++i) {
      text += fmt::format("  job-{}: {{ schedule: \"0 3 * * *\", command: [b] }}\n", i);
      env += fmt::format("V{}: x, ", i);
    }
    // Line 3 holds job-0; the repeated job-1 comes after all of them.
    text += "  job-1: { schedule: \"0 4 * * *\", command: [c] }\n";
    text += "  env-job: { schedule: \"0 3 * * *\", command: [b], env: { " + env + "V1: y } }\n";
    const Lines got = problems(text);
    ASSERT_EQ(got.size(), 2U) << count;
    EXPECT_EQ(got[0], fmt::format("{}:3 jobs.job-1: duplicate job 'job-1'; first defined at line 4",
                                  count + 3))
        << count;
    EXPECT_NE(got[1].find("jobs.env-job.env.V1: duplicate key 'V1'"), std::string::npos) << got[1];
  }
}

TEST(LoadManifestTest, JobNamesMustBeNames) {
  EXPECT_EQ(problems("version: 1\njobs:\n  Nightly Backup:\n    schedule: \"0 2 * * *\"\n"
                       "    command: [b]\n"), (Lines{"3:3 jobs.Nightly Backup: 'Nightly Backup' is not a valid job name; names "
                          "are lower-case letters, digits, '.', '_' and '-', starting with a letter "
                          "or digit ([a-z0-9][a-z0-9._-]*) | did you mean 'nightly-backup'?"}));
}

TEST(LoadManifestTest, JobsMustBeAMap) {
  EXPECT_EQ(problems("version: 1\njobs:\n  - name: backup\n"), (Lines{"2:1 jobs: expected a map of job name to settings, found a list | write "
                          "each job as its name followed by ':' and its settings, not as a '- ' item"}));
  EXPECT_EQ(problems("version: 1\njobs:\n"), (Lines{"2:1 jobs: expected a map of job name to settings, found nothing"}));
}

TEST(LoadManifestTest, SettingsInTheWrongPlace) {
  EXPECT_EQ(problems("version: 1\ndefaults:\n  command: [x]\n  platforms: [posix]\njobs: {}\n"), (Lines{"3:3 defaults.command: 'command' cannot be set in defaults | set 'command' "
                          "on each job",
                          "4:3 defaults.platforms: 'platforms' cannot be set in defaults | set "
                          "'platforms' on each job"}));
  EXPECT_EQ(problems(one_job("    windows: { platforms: [windows], posix: {} }\n")), (Lines{"6:16 jobs.backup.windows.platforms: 'platforms' cannot be set inside the "
                          "'windows:' overlay | set 'platforms' on the job itself",
                          "6:38 jobs.backup.windows.posix: 'posix' cannot be set inside the "
                          "'windows:' overlay | overlays hold settings for one platform and do not "
                          "nest"}));
}

// ---------------------------------------------------------------------------
// Commands.

TEST(LoadManifestTest, CommandAndShellAreExclusive) {
  EXPECT_EQ(problems(one_job("    shell: backup\n")), (Lines{"6:5 jobs.backup.shell: 'command' and 'shell' cannot both be set | "
                          "'command' is an exact argv list, 'shell' one shell line; keep one of them"}));
}

TEST(LoadManifestTest, JobNeedsACommandAndASchedule) {
  EXPECT_EQ(problems("version: 1\njobs:\n  backup:\n    description: x\n"), (Lines{"3:3 jobs.backup: job 'backup' has no schedule | add schedule: \"0 2 * * "
                          "*\" or schedule: { every: 5m }",
                          "3:3 jobs.backup: job 'backup' has no command | add command: "
                          "[/usr/local/bin/backup, --full] or shell: \"backup --full\""}));
  EXPECT_EQ(problems("version: 1\njobs:\n  backup:\n"), (Lines{"3:3 jobs.backup: job 'backup' has no settings; it needs at least "
                          "'schedule' and 'command' (or 'shell')"}));
}

TEST(LoadManifestTest, CommandMayComeFromOverlays) {
  load_ok("version: 1\njobs:\n  a:\n    schedule: \"0 2 * * *\"\n    posix: { command: [a] }\n"
          "    windows: { shell: a.cmd }\n");
  load_ok("version: 1\njobs:\n  a:\n    schedule: \"0 2 * * *\"\n    platforms: [windows]\n"
          "    windows: { command: [a.exe] }\n");
  EXPECT_EQ(problems("version: 1\njobs:\n  a:\n    schedule: \"0 2 * * *\"\n"
                       "    posix: { command: [a] }\n"), (Lines{"3:3 jobs.a: job 'a' has no command for windows | add 'command' to the "
                          "job or to its 'windows:' overlay, or limit the job with 'platforms:'"}));
}

TEST(LoadManifestTest, UnusedOverlayIsAWarning) {
  LoadResult r = load_manifest(one_job("    platforms: [windows]\n    posix: { timeout: 5m }\n"),
                               "jobs.yaml");
  EXPECT_FALSE(r.diagnostics.has_errors());
  EXPECT_EQ(problems(r), (Lines{"warning 7:12 jobs.backup.posix: job 'backup' does not run "
                                       "on posix (see 'platforms'), so this overlay is never used"}));
}

TEST(LoadManifestTest, BadCommands) {
  auto with_command = [](std::string_view command) {
    return problems(fmt::format("version: 1\njobs:\n  a:\n    schedule: \"0 2 * * *\"\n"
                                "    command: {}\n",
                                command));
  };
  EXPECT_EQ(with_command("[]"), (Lines{"5:14 jobs.a.command: the command is empty; give the program and its "
                          "arguments | e.g. command: [/usr/local/bin/backup, --full]"}));
  EXPECT_EQ(with_command("[\"\", x]"), (Lines{"5:15 jobs.a.command[0]: the program (the command's first item) is empty"}));
  EXPECT_EQ(with_command("/usr/bin/backup --all"), (Lines{"5:14 jobs.a.command: expected a list (an exact argv), found a string | "
                          "write [program, arg, ...], e.g. [/usr/local/bin/backup, --full], or use "
                          "'shell:' for a shell line"}));
  EXPECT_EQ(with_command("{ a: b }"), (Lines{"5:14 jobs.a.command: expected a list of strings, found a map"}));
  EXPECT_EQ(with_command("[a, [b]]"), (Lines{"5:18 jobs.a.command[1]: expected a string, found a list"}));
  EXPECT_EQ(with_command("[a, \"b\\nc\"]"), (Lines{"5:18 jobs.a.command[1]: contains a line break; the value must be a single "
                          "line"}));
  EXPECT_EQ(with_command("[a, \"b\\0c\"]"), (Lines{"5:18 jobs.a.command[1]: contains a NUL character, which no command line "
                          "can carry"}));
}

TEST(LoadManifestTest, BadShellLines) {
  EXPECT_EQ(problems("version: 1\njobs:\n  a:\n    schedule: \"0 2 * * *\"\n    shell: \"  \"\n"), (Lines{"5:12 jobs.a.shell: the shell line is empty | give the command to run, "
                          "e.g. shell: \"backup --full >/dev/null\""}));
  EXPECT_EQ(problems("version: 1\njobs:\n  a:\n    schedule: \"0 2 * * *\"\n    shell: |\n"
                       "      backup\n"), (Lines{"5:12 jobs.a.shell: contains a line break; the value must be a single "
                          "line | a '|' block keeps the final line break; write '|-' or '>-' "
                          "instead"}));
}

// ---------------------------------------------------------------------------
// Other settings.

TEST(LoadManifestTest, BadDurations) {
  EXPECT_EQ(problems(one_job("    timeout: 30 minutes\n")), (Lines{"6:14 jobs.backup.timeout: '30 minutes' is not a duration; write a whole "
                          "number and a unit (s, m, h, d) such as '90s', '5m', '2h', '1d', or a sum "
                          "in decreasing units such as '1h30m'"}));
  EXPECT_EQ(problems(one_job("    timeout: 30\n")), (Lines{"6:14 jobs.backup.timeout: '30' has no unit; a duration is a whole number "
                          "and a unit (s, m, h, d) | did you mean '30s' or '30m'?"}));
  EXPECT_EQ(problems(one_job("    timeout: 0s\n")), (Lines{"6:14 jobs.backup.timeout: '0s' is zero; the duration must be longer than "
                          "0s"}));
  EXPECT_EQ(problems(one_job("    random_delay: 0s\n")), Lines{});
}

TEST(LoadManifestTest, BadChoices) {
  EXPECT_EQ(problems(one_job("    overlap: skp\n")), (Lines{"6:14 jobs.backup.overlap: unknown overlap policy 'skp'; allowed: allow, "
                          "skip, queue, replace | did you mean 'skip'?"}));
  EXPECT_EQ(problems(one_job("    missed: later\n")), (Lines{"6:13 jobs.backup.missed: unknown policy for missed runs 'later'; "
                          "allowed: skip, run"}));
  EXPECT_EQ(problems(one_job("    platforms: [linux, posix, posix]\n")), (Lines{"6:17 jobs.backup.platforms[0]: unknown platform 'linux'; allowed: posix, "
                          "windows",
                          "6:31 jobs.backup.platforms[2]: platform 'posix' is listed twice"}));
  EXPECT_EQ(problems(one_job("    platforms: []\n")), (Lines{"6:16 jobs.backup.platforms: the list of platforms is empty; allowed: "
                          "posix, windows | leave 'platforms' out to run the job everywhere, or "
                          "set 'enabled: false'"}));
}

TEST(LoadManifestTest, BadBooleans) {
  EXPECT_EQ(problems(one_job("    enabled: yes\n")), (Lines{"6:14 jobs.backup.enabled: expected true or false, found the string 'yes' "
                          "| YAML 1.2 reads 'yes' as text; write true or false"}));
}

TEST(LoadManifestTest, BadPaths) {
  EXPECT_EQ(problems(one_job("    working_dir: srv/app\n")), (Lines{"6:18 jobs.backup.working_dir: 'srv/app' is not an absolute path; write a "
                          "full path such as /srv/app or C:\\app | jobs start in a directory chosen "
                          "by the OS scheduler, so relative paths are refused"}));
  EXPECT_EQ(problems(one_job("    windows: { working_dir: /srv/app }\n")), (Lines{"6:29 jobs.backup.windows.working_dir: '/srv/app' is not an absolute "
                          "Windows path; a working directory in the 'windows:' overlay starts with "
                          "a drive (C:\\) or a share (\\\\server\\share) | put POSIX paths in the "
                          "'posix:' overlay"}));
  EXPECT_EQ(problems(one_job("    log: /var/log/{name}.log\n")), (Lines{"6:10 jobs.backup.log: unknown placeholder '{name}' in the log path; "
                          "allowed: {job}, {namespace} | did you mean '{namespace}'?"}));
  EXPECT_TRUE(contains(only(problems(one_job("    log: '{job}.log'\n"))), "6:10 jobs.backup.log: '{job}.log' is not an absolute path"));
}

TEST(LoadManifestTest, BadEnv) {
  EXPECT_EQ(problems(one_job("    env: { 2FA: x, A-B: y, C: ~, D: [1] }\n")), (Lines{"6:12 jobs.backup.env.2FA: '2FA' is not a valid environment variable "
                          "name; use letters, digits and '_', not starting with a digit "
                          "([A-Za-z_][A-Za-z0-9_]*)",
                          "6:20 jobs.backup.env.A-B: 'A-B' is not a valid environment variable "
                          "name; use letters, digits and '_', not starting with a digit "
                          "([A-Za-z_][A-Za-z0-9_]*)",
                          "6:28 jobs.backup.env.C: expected a string, found nothing",
                          "6:37 jobs.backup.env.D: expected a string, found a list"}));
}

TEST(LoadManifestTest, BadRetries) {
  EXPECT_EQ(problems(one_job("    retries: { count: -1, delay: 5 }\n")), (Lines{"6:23 jobs.backup.retries.count: retry count -1 is out of range; allowed: "
                          "0-100",
                          "6:34 jobs.backup.retries.delay: '5' has no unit; a duration is a whole "
                          "number and a unit (s, m, h, d) | did you mean '5s' or '5m'?"}));
  EXPECT_EQ(problems(one_job("    retries: 101\n")), (Lines{"6:14 jobs.backup.retries: retry count 101 is out of range; allowed: 0-100"}));
  EXPECT_EQ(problems(one_job("    retries: { delay: 5m }\n")), (Lines{"6:14 jobs.backup.retries: retries needs 'count' | e.g. retries: { count: "
                          "3, delay: 5m }"}));
}

TEST(LoadManifestTest, BadUserAndZone) {
  EXPECT_EQ(problems(one_job("    run_as: SYSTEM\n    timezone: utc\n")), (Lines{"6:13 jobs.backup.run_as: 'SYSTEM' is not a user name; write 'system' or "
                          "a name of lower-case letters, digits, '_' and '-' ([a-z_][a-z0-9_-]*, "
                          "optionally ending in '$') | did you mean 'system'?",
                          "7:15 jobs.backup.timezone: 'utc' is not a time zone name; write an IANA "
                          "name such as 'Europe/Berlin' or 'America/New_York', or 'UTC' | did you "
                          "mean 'UTC'?"}));
}

TEST(LoadManifestTest, WrongTypesSayWhatWasFound) {
  EXPECT_EQ(problems(one_job("    description: [a]\n    env: x\n    conditions: 3\n")), (Lines{"6:18 jobs.backup.description: expected a string, found a list",
                          "7:10 jobs.backup.env: expected a map of variable name to value, found "
                          "the string 'x'",
                          "8:17 jobs.backup.conditions: expected a map such as { ac_power: true, "
                          "network: true, idle: 10m }, found the number 3"}));
}

// ---------------------------------------------------------------------------
// Schedules.

TEST(LoadManifestTest, CronErrorPointsAtTheField) {
  auto at = [](std::string_view schedule_line) {
    LoadResult r = load_manifest(
        fmt::format("version: 1\njobs:\n  a:\n    command: [a]\n{}\n", schedule_line), "jobs.yaml");
    EXPECT_EQ(r.diagnostics.items().size(), 1u);
    if (r.diagnostics.items().empty()) return std::string();
    const Diagnostic& d = r.diagnostics.items()[0];
    EXPECT_TRUE(d.field.starts_with("jobs.a.schedule"));
    EXPECT_TRUE(contains(d.message, "minute: '60'"));
    return fmt::format("{}:{}", d.where.line, d.where.column);
  };
  // The minute field is at offset 0: the caret goes under it, one column
  // further when the string is quoted.
  EXPECT_EQ(at("    schedule: 60 2 * * *"), "5:15");
  EXPECT_EQ(at("    schedule: \"60 2 * * *\""), "5:16");
  EXPECT_EQ(at("    schedule: '60 2 * * *'"), "5:16");
  EXPECT_EQ(at("    schedule: [\"@daily\", \"60 2 * * *\"]"), "5:27");
}

TEST(LoadManifestTest, SixFieldCronGetsAHint) {
  EXPECT_TRUE(contains(only(problems("version: 1\njobs:\n  a:\n    command: [a]\n    schedule: \"0 0 2 * * *\"\n")), "| omnicron's cron has no seconds or years field; if the first "
                                    "field is seconds, drop it"));
}

TEST(LoadManifestTest, ImpossibleEveryIsReportedAtTheInterval) {
  auto p = problems("version: 1\njobs:\n  a:\n    command: [a]\n    schedule: { every: 7m }\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_TRUE(contains(p[0], "5:24 jobs.a.schedule.every: every 7m does not divide the hour"));
}

TEST(LoadManifestTest, BadStructuredSchedules) {
  auto with_schedule = [](std::string_view schedule) {
    return problems(fmt::format("version: 1\njobs:\n  a:\n    command: [a]\n    schedule: {}\n",
                                schedule));
  };
  EXPECT_EQ(with_schedule("{ at: \"24:00\" }"), (Lines{"5:21 jobs.a.schedule.at: '24:00' is not a time of day; write HH:MM in "
                          "24-hour time, e.g. \"06:00\" or \"18:30\""}));
  EXPECT_EQ(with_schedule("{ at: \"06:00\", days: [Monday] }"), (Lines{"5:37 jobs.a.schedule.days[0]: unknown day 'Monday'; allowed: mon, tue, "
                          "wed, thu, fri, sat, sun, weekdays, weekends | did you mean 'mon'?"}));
  EXPECT_EQ(with_schedule("{ at: \"06:00\", days: [mon, mon] }"), (Lines{"5:42 jobs.a.schedule.days[1]: day 'mon' is listed twice"}));
  EXPECT_EQ(with_schedule("{ every: 1h, at: \"06:00\" }"), (Lines{"5:28 jobs.a.schedule.at: 'at' cannot be combined with 'every' in one "
                          "schedule item | write a list of schedule items to fire at the union of "
                          "their times"}));
  EXPECT_EQ(with_schedule("{ every: 15m, days: [mon] }"), (Lines{"5:29 jobs.a.schedule.days: 'days' goes with 'at', not with 'every' | for "
                          "every few minutes on some days, write a cron string such as \"*/15 * * "
                          "* 1-5\""}));
  EXPECT_EQ(with_schedule("{ days: [mon] }"), (Lines{"5:15 jobs.a.schedule: a schedule map needs one of 'every', 'at' or 'on' "
                          "| e.g. { every: 5m }, { at: \"06:00\", days: [mon] } or { on: boot }"}));
  EXPECT_EQ(with_schedule("{ on: startup }"), (Lines{"5:21 jobs.a.schedule.on: unknown event 'startup'; allowed: boot, logon"}));
  EXPECT_EQ(with_schedule("{ evry: 5m }"), (Lines{"5:15 jobs.a.schedule: a schedule map needs one of 'every', 'at' or 'on' "
                          "| e.g. { every: 5m }, { at: \"06:00\", days: [mon] } or { on: boot }",
                          "5:17 jobs.a.schedule.evry: unknown key 'evry' | did you mean 'every'?"}));
  EXPECT_EQ(with_schedule("[]"), (Lines{"5:15 jobs.a.schedule: the schedule list is empty | give at least one "
                          "cron string or { every: ... } / { at: ... } / { on: ... }"}));
  EXPECT_EQ(with_schedule("5"), (Lines{"5:15 jobs.a.schedule: expected a cron string such as \"0 2 * * *\", a "
                          "map such as { every: 5m }, or a list of these, found the number 5"}));
}

// ---------------------------------------------------------------------------
// All problems at once.

TEST(LoadManifestTest, ReportsEveryProblemInFileOrder) {
  EXPECT_EQ(problems(R"(version: 1
defaults:
  overlap: skp
jobs:
  a:
    schedule: { every: 5m }
  b:
    schedule: "0 2 * * *"
    command: [b]
    timout: 5m
    retries: { count: 200 }
)"), (Lines{"3:12 defaults.overlap: unknown overlap policy 'skp'; allowed: allow, "
                          "skip, queue, replace | did you mean 'skip'?",
                          "5:3 jobs.a: job 'a' has no command | add command: "
                          "[/usr/local/bin/backup, --full] or shell: \"backup --full\"",
                          "10:5 jobs.b.timout: unknown key 'timout' | did you mean 'timeout'?",
                          "11:23 jobs.b.retries.count: retry count 200 is out of range; allowed: "
                          "0-100"}));
}

// ---------------------------------------------------------------------------
// Field locations and merging.

TEST(LoadManifestTest, RecordsFieldLocations) {
  Manifest m = load_ok(R"(version: 1
defaults:
  timeout: 5m
  windows:
    working_dir: 'C:\app'
jobs:
  a:
    schedule: "0 2 * * *"
    command: [a]
    env:
      PATH: /bin
    retries: { count: 2 }
    windows:
      command: [a.exe]
)");
  const auto& locs = m.jobs[0].field_locations;
  auto where = [&](const std::string& key) {
    auto it = locs.find(key);
    return it == locs.end() ? std::string("missing")
                            : fmt::format("{}:{}", it->second.line, it->second.column);
  };
  EXPECT_EQ(where("schedule"), "8:15");
  EXPECT_EQ(where("command"), "9:14");
  EXPECT_EQ(where("env"), "10:5");
  EXPECT_EQ(where("env.PATH"), "11:13");
  EXPECT_EQ(where("retries"), "12:14");
  EXPECT_EQ(where("retries.count"), "12:23");
  EXPECT_EQ(where("windows"), "13:5");
  EXPECT_EQ(where("windows.command"), "14:16");
  EXPECT_EQ(m.jobs[0].where.line, 7);
  EXPECT_EQ(m.jobs[0].where.column, 3);
  EXPECT_EQ(m.jobs[0].where.file, "jobs.yaml");
  EXPECT_EQ(m.defaults_field_locations.at("timeout").line, 3);
  EXPECT_EQ(m.defaults_field_locations.at("windows.working_dir").line, 5);
}

TEST(EffectiveJobTest, LayersDefaultsJobAndOverlay) {
  Manifest m = load_ok(R"(version: 1
namespace: crm
defaults:
  working_dir: /srv/crm
  env: { A: default, B: default }
  log: /var/log/{namespace}/{job}.log
  timeout: 30m
  overlap: skip
  windows:
    working_dir: 'C:\crm'
    log: 'C:\logs\{job}.log'
jobs:
  report:
    schedule: "0 6 * * 1"
    command: [python, report.py]
    env: { B: job, C: job }
    timeout: 1h
    windows:
      command: [python.exe, report.py]
      env: { C: windows }
      timeout: 2h
)",
                       "crm.yaml");
  const Job& job = m.jobs.at(0);

  EffectiveJob posix = effective_job(m, job, Platform::posix);
  EXPECT_EQ(posix.namespace_, "crm");
  EXPECT_EQ(posix.name, "report");
  EXPECT_EQ(posix.description, "");
  EXPECT_EQ(posix.command.argv, (std::vector<std::string>{"python", "report.py"}));
  EXPECT_EQ(posix.working_dir, "/srv/crm");
  EXPECT_EQ(posix.env, (std::map<std::string, std::string>{{"A", "default"}, {"B", "job"}, {"C", "job"}}));
  EXPECT_EQ(posix.log, "/var/log/crm/report.log");
  EXPECT_EQ(posix.timeout, seconds{3600});
  EXPECT_EQ(posix.overlap, Overlap::skip);
  EXPECT_EQ(posix.enabled, true);
  EXPECT_EQ(posix.missed, Missed::skip);
  EXPECT_EQ(posix.source, &job);
  EXPECT_EQ(posix.schedule.items.at(0).cron, "0 6 * * 1");

  EffectiveJob windows = effective_job(m, job, Platform::windows);
  EXPECT_EQ(windows.command.argv, (std::vector<std::string>{"python.exe", "report.py"}));
  EXPECT_EQ(windows.working_dir, "C:\\crm");
  EXPECT_EQ(windows.env,
            (std::map<std::string, std::string>{{"A", "default"}, {"B", "job"}, {"C", "windows"}}));
  EXPECT_EQ(windows.log, "C:\\logs\\report.log");
  EXPECT_EQ(windows.timeout, seconds{7200});

  // Each effective value points at the line that set it.
  EXPECT_EQ(windows.field_locations.at("working_dir").line, 10);
  EXPECT_EQ(windows.field_locations.at("env.A").line, 5);
  EXPECT_EQ(windows.field_locations.at("env.B").line, 16);
  EXPECT_EQ(windows.field_locations.at("env.C").line, 20);
  EXPECT_EQ(windows.field_locations.at("timeout").line, 21);
  EXPECT_EQ(windows.field_locations.at("command").line, 19);
  EXPECT_EQ(posix.field_locations.at("timeout").line, 17);
  EXPECT_EQ(posix.field_locations.at("overlap").line, 8);
  EXPECT_EQ(posix.field_locations.count("windows.command"), 0u);
}

TEST(EffectiveJobTest, ShellInAnOverlayReplacesCommand) {
  Manifest m = load_ok("version: 1\njobs:\n  a:\n    schedule: \"0 2 * * *\"\n"
                       "    command: [a]\n    retries: { count: 2, delay: 1m }\n"
                       "    windows: { shell: a.cmd, retries: 1 }\n");
  EffectiveJob w = effective_job(m, m.jobs[0], Platform::windows);
  EXPECT_TRUE(w.command.is_shell());
  EXPECT_EQ(w.command.shell, "a.cmd");
  EXPECT_EQ(w.retries, (Retries{1, seconds{0}}));
  EXPECT_EQ(w.field_locations.count("command"), 0u);
  EXPECT_EQ(w.field_locations.count("retries.delay"), 0u);
  EXPECT_EQ(w.field_locations.at("shell").line, 7);
}

TEST(EffectiveJobTest, RunsOn) {
  Job everywhere;
  EXPECT_TRUE(runs_on(everywhere, Platform::posix));
  EXPECT_TRUE(runs_on(everywhere, Platform::windows));
  Job windows_only;
  windows_only.platforms = {Platform::windows};
  EXPECT_FALSE(runs_on(windows_only, Platform::posix));
  EXPECT_TRUE(runs_on(windows_only, Platform::windows));
}

TEST(ManifestTest, NamesOfEnums) {
  EXPECT_EQ(to_string(Overlap::replace), "replace");
  EXPECT_EQ(to_string(Missed::run), "run");
  EXPECT_EQ(to_string(Platform::windows), "windows");
}

}  // namespace
}  // namespace omnicron
