#include "posix/crontab_export.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "manifest/load.h"
#include "posix/crontab_block.h"
#include "posix/crontab_plan.h"

namespace omnicron::posix {
namespace {

Manifest load(const std::string &text, const std::string &file = "jobs.yaml") {
  LoadResult r = load_manifest(text, file);
  std::string errors;
  for (const auto &d : r.diagnostics.items()) errors += render(d, text) + "\n";
  EXPECT_FALSE(r.diagnostics.has_errors()) << errors << "in:\n" << text;
  return r.manifest;
}

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

CrontabOptions compile_options(bool user_column) {
  CrontabOptions options;
  options.system_timezone = "UTC";
  if (user_column) options.user_column = "root";
  return options;
}

ExportOptions export_options(bool user_column) {
  ExportOptions options;
  options.system_timezone = "UTC";
  options.user_column = user_column;
  return options;
}

CrontabBlock compile(const Manifest &m, bool user_column) {
  Diagnostics d;
  CrontabBlock block = compile_crontab_block(m, compile_options(user_column), d);
  EXPECT_FALSE(d.has_errors());
  return block;
}

// A job as cron runs it: the POSIX view with defaults merged, every
// schedule item as the cron lines it becomes, and the spellings that mean the
// same on a crontab made equal (in an /etc/cron.d file whose default user is
// root, "root", "system" and no `run_as` all write the same line; a zone equal
// to the system's is no zone). This is the normalisation under which
// an export must give back its input.
struct NormalJob {
  std::string name, description;
  std::vector<std::string> schedule;
  Command command;
  std::optional<std::string> working_dir, log, run_as;
  std::map<std::string, std::string> env;
  std::optional<std::chrono::seconds> timeout, random_delay;
  Overlap overlap = Overlap::allow;
  Retries retries;
  bool enabled = true;
  Conditions conditions;
  friend bool operator==(const NormalJob &, const NormalJob &) = default;
};

std::ostream &operator<<(std::ostream &os, const NormalJob &j) {
  os << j.name << " [";
  for (const auto &s : j.schedule) os << s << "; ";
  os << "] ";
  if (j.command.is_shell()) os << "shell: " << j.command.shell;
  if (j.run_as) os << " run_as=" << *j.run_as;
  for (const auto &a : j.command.argv) os << "<" << a << ">";
  return os << " desc=" << j.description;
}

std::vector<NormalJob> normalise(const Manifest &m) {
  std::vector<NormalJob> out;
  for (const Job &source : m.jobs) {
    if (!runs_on(source, Platform::posix)) continue;
    const EffectiveJob e = effective_job(m, source, Platform::posix);
    NormalJob n{e.name,    e.description, {},        e.command,   e.working_dir,
                e.log,     e.run_as,      e.env,     e.timeout,   e.random_delay,
                e.overlap, e.retries,     e.enabled, e.conditions};
    if (n.run_as == "root" || n.run_as == "system") n.run_as.reset();
    // cron runs a `shell:` line that starts with "cd DIR && " exactly as it
    // runs the rest of the line with `working_dir: DIR`; export reads the
    // line the second way.
    if (n.command.is_shell() && !n.working_dir && n.command.shell.starts_with("cd ")) {
      const std::size_t and_and = n.command.shell.find(" && ");
      const std::string dir = n.command.shell.substr(3, and_and - 3);
      if (and_and != std::string::npos && dir.find_first_of(" '\"\\$") == std::string::npos) {
        n.working_dir = dir;
        n.command.shell.erase(0, and_and + 4);
      }
    }
    for (const ScheduleItem &item : e.schedule.items)
      for (const auto &expr : to_cron(item)) {
        std::string text;
        std::istringstream words(expr.text());
        for (std::string w; words >> w;) text += (text.empty() ? "" : " ") + w;
        n.schedule.push_back(text);
      }
    out.push_back(std::move(n));
  }
  return out;
}

struct RoundTrip {
  std::string table;
  ExportResult result;
  std::string exported;
  Manifest manifest;
};

RoundTrip round_trip(const Manifest &input, bool user_column, const std::string &foreign = "") {
  RoundTrip rt;
  rt.table = foreign + render_crontab_block(compile(input, user_column));
  const ParsedCrontab parsed = parse_crontab(rt.table);
  const ParsedBlock *block = parsed.find_block(input.namespace_);
  EXPECT_NE(block, nullptr);
  if (!block) return rt;
  rt.result = export_block(*block, export_options(user_column));
  rt.exported = render_export(rt.result);
  rt.manifest = load(rt.exported, "exported.yaml");
  return rt;
}

// Syncing the export plans nothing.
void expect_noop_sync(const RoundTrip &rt, bool user_column) {
  const CrontabChange change = plan_crontab(compile(rt.manifest, user_column), rt.table);
  EXPECT_FALSE(change.plan.has_changes()) << render_plan(change.plan) << rt.exported;
  EXPECT_EQ(change.new_table, rt.table);
}

TEST(CrontabExport, EveryExampleComesBackEqualAfterNormalisation) {
  const std::string dir = std::string(OMNICRON_SOURCE_DIR) + "/examples/";
  // server.yaml runs jobs as other users, which only an /etc/cron.d file can.
  for (const auto &[file, user_column] : std::vector<std::pair<std::string, bool>>{
           {"crm.yaml", false}, {"server.yaml", true}, {"windows-desktop.yaml", false}}) {
    SCOPED_TRACE(file);
    const Manifest input = load(read_file(dir + file), dir + file);
    const RoundTrip rt = round_trip(input, user_column);
    EXPECT_TRUE(rt.result.problems.empty());
    EXPECT_FALSE(normalise(input).empty());
    EXPECT_EQ(normalise(rt.manifest), normalise(input)) << rt.exported;
    EXPECT_EQ(rt.manifest.namespace_, input.namespace_);
    expect_noop_sync(rt, user_column);
  }
}

TEST(CrontabExport, ArgvWithEveryAwkwardCharacterComesBackExactly) {
  const Manifest input = load(R"(
version: 1
namespace: odd
jobs:
  argv:
    description: "a \\ backslash, 100% and a trailing blank "
    schedule: ["*/5 * * * *", { on: boot }, { at: ["06:30", "18:45"], days: [mon, fri] }]
    command: [/usr/bin/printf, "it's \"quoted\"", "100%", "$HOME", 'back\slash\\', "grüße 東京", "", "a  b", "~", "x=y", "--a=b", "&&", ">>", "2>&1"]
    working_dir: "/srv/with space"
    env: { A: "1 2", B: "", C: "%" }
    log: /var/log/odd/it's.log
  plain-argv:
    schedule: "0 1 * * *"
    command: [/bin/sh, -c, "echo hi"]
  runner:
    schedule: "0 2 * * *"
    command: [/usr/bin/env]
    timeout: 1h30m
    overlap: queue
    retries: { count: 3, delay: 90s }
    conditions: { ac_power: true, network: true, idle: 5m }
    random_delay: 10m
    env: { X: "with 'quote'" }
  retries-no-delay:
    schedule: "0 3 * * *"
    command: [/usr/bin/true]
    retries: 2
    enabled: false
)");
  const RoundTrip rt = round_trip(input, false, "# someone's\nMAILTO=x\n* * * * * /bin/foo\n");
  EXPECT_TRUE(rt.result.problems.empty()) << rt.result.problems.front();
  EXPECT_EQ(normalise(rt.manifest), normalise(input)) << rt.exported;
  expect_noop_sync(rt, false);
  ASSERT_EQ(rt.manifest.jobs.size(), 4u);
  EXPECT_EQ(rt.manifest.jobs[0].settings.schedule->items[1].kind, ScheduleItem::Kind::boot);
}

TEST(CrontabExport, ShellJobsKeepTheirTextInEveryForm) {
  const Manifest input = load(R"(
version: 1
namespace: sh
jobs:
  bare:
    schedule: "@daily"
    shell: "cd /tmp && ls | wc -l > /tmp/n 2>&1"
  simple-words:
    schedule: "@hourly"
    shell: "find /srv/app/tmp -type f -delete"
  in-dir:
    schedule: "0 1 * * *"
    shell: "ls *.log"
    working_dir: /var/log
  with-env-and-log:
    schedule: "0 2 * * *"
    shell: "echo $GREETING | tee -a /tmp/x"
    env: { GREETING: "hello world" }
    log: /tmp/log
    working_dir: /tmp
  through-runner:
    schedule: "0 3 * * *"
    shell: "sleep 1; echo '%'"
    timeout: 5m
)");
  const RoundTrip rt = round_trip(input, false);
  EXPECT_TRUE(rt.result.problems.empty()) << rt.result.problems.front();
  EXPECT_EQ(normalise(rt.manifest), normalise(input)) << rt.exported;
  for (const Job &job : rt.manifest.jobs) EXPECT_TRUE(job.settings.command->is_shell()) << job.name;
  expect_noop_sync(rt, false);
}

TEST(CrontabExport, CronDUsersBecomeRunAsUnlessTheyAreTheDefault) {
  const Manifest input = load(R"(
version: 1
namespace: d
jobs:
  as-default:
    schedule: "0 1 * * *"
    command: [/usr/bin/true]
  as-postgres:
    schedule: "0 2 * * *"
    command: [/usr/bin/true]
    run_as: postgres
  as-system:
    schedule: "0 3 * * *"
    command: [/usr/bin/true]
    run_as: system
)");
  const RoundTrip rt = round_trip(input, true);
  ASSERT_EQ(rt.manifest.jobs.size(), 3u);
  EXPECT_FALSE(rt.manifest.jobs[0].settings.run_as);
  EXPECT_EQ(rt.manifest.jobs[1].settings.run_as, "postgres");
  // "system" is root, the file's default user: the same line either way.
  EXPECT_FALSE(rt.manifest.jobs[2].settings.run_as);
  expect_noop_sync(rt, true);
}

TEST(CrontabExport, AJobEditedByHandIsExportedAsItRunsAndListed) {
  const Manifest input = load(R"(
version: 1
namespace: crm
jobs:
  report:
    schedule: "0 6 * * 1"
    command: [/usr/bin/report, --weekly]
)");
  std::string table = render_crontab_block(compile(input, false));
  const std::string from = "0 6 * * 1 /usr/bin/report";
  table.replace(table.find(from), from.size(), "0 7 * * 1 /usr/bin/report");
  const ParsedCrontab parsed = parse_crontab(table);
  const ExportResult result = export_block(*parsed.find_block("crm"), export_options(false));
  ASSERT_EQ(result.manifest.jobs.size(), 1u);
  EXPECT_EQ(result.manifest.jobs[0].settings.schedule->items[0].cron, "0 7 * * 1");
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_NE(result.problems[0].find("'crm/report' was edited by hand"), std::string::npos)
      << result.problems[0];
  EXPECT_NE(render_export(result).find("# Not exported exactly"), std::string::npos);
}

TEST(CrontabExport, AnEntryThatCannotBeReadIsListedNotDropped) {
  const std::string table =
      "# >>> omnicron crm — generated from /x.yaml; edits inside are "
      "overwritten\n"
      "# omnicron job=broken digest=00000000\n"
      "0 6 * * 1 /usr/local/bin/omnicron exec --job crm/other -- /bin/true\n"
      "# omnicron job=unquoted digest=00000000\n"
      "0 6 * * 1 echo 'open\n"
      "# <<< omnicron crm\n";
  const ParsedCrontab parsed = parse_crontab(table);
  const ExportResult result = export_block(*parsed.find_block("crm"), export_options(false));
  EXPECT_TRUE(result.manifest.jobs.empty());
  ASSERT_EQ(result.problems.size(), 2u);
  EXPECT_NE(result.problems[0].find("'crm/other', not 'crm/broken'"), std::string::npos)
      << result.problems[0];
  EXPECT_NE(result.problems[1].find("unclosed quote"), std::string::npos) << result.problems[1];
}

TEST(CrontabExport, AllAdoptsForeignLinesAndListsWhatItCannot) {
  const Manifest crm = load(R"(
version: 1
namespace: crm
jobs:
  report: { schedule: "0 6 * * 1", command: [/usr/bin/report] }
)");
  const Manifest web = load(R"(
version: 1
namespace: web
jobs:
  report: { schedule: "0 7 * * 1", command: [/usr/bin/report] }
)");
  const std::string table =
      "MAILTO=ops@example.com\n"
      "# Rotate the logs\n"
      "0 0 * * * /usr/sbin/logrotate /etc/lr.conf\n"
      "5 4 * * * echo 50% done\n" +
      render_crontab_block(compile(crm, false)) + render_crontab_block(compile(web, false));
  const ExportResult result = export_table(parse_crontab(table), "adopted", export_options(false));
  const std::string text = render_export(result);
  const Manifest back = load(text);
  ASSERT_EQ(back.jobs.size(), 3u) << text;
  EXPECT_EQ(back.jobs[0].name, "crm-report");
  EXPECT_EQ(back.jobs[1].name, "web-report");
  EXPECT_EQ(back.jobs[2].name, "logrotate");
  EXPECT_EQ(back.jobs[2].settings.description, "Rotate the logs");
  EXPECT_EQ(back.jobs[2].settings.env.at("MAILTO"), "ops@example.com");
  EXPECT_EQ(result.adopted, 1);
  EXPECT_NE(text.find("# Adopted from line 3"), std::string::npos) << text;
  ASSERT_EQ(result.problems.size(), 1u);
  EXPECT_NE(result.problems[0].find("line 4: not adopted"), std::string::npos);
  EXPECT_NE(text.find("echo 50% done"), std::string::npos);
}

TEST(CrontabExport, TheRunnerPathTheLinesUseIsReported) {
  const Manifest input = load(R"(
version: 1
namespace: crm
jobs:
  t: { schedule: "0 6 * * 1", command: [/usr/bin/true], timeout: 1m }
)");
  CrontabOptions options = compile_options(false);
  options.omnicron_path = "/opt/omnicron/bin/omnicron";
  Diagnostics d;
  const std::string table = render_crontab_block(compile_crontab_block(input, options, d));
  const ExportResult result =
      export_block(*parse_crontab(table).find_block("crm"), export_options(false));
  EXPECT_TRUE(result.problems.empty()) << result.problems.front();
  EXPECT_EQ(result.omnicron_path, "/opt/omnicron/bin/omnicron");
  EXPECT_NE(render_export(result).find("sync with --omnicron /opt/omnicron/bin/omnicron"),
            std::string::npos);
}

}  // namespace
}  // namespace omnicron::posix
