#include "posix/crontab_block.h"

#include <gtest/gtest.h>

namespace omnicron::posix {
namespace {

using std::chrono::minutes;

ScheduleItem cron_item(std::string text) {
  ScheduleItem item;
  item.kind = ScheduleItem::Kind::cron;
  item.cron = std::move(text);
  return item;
}

Job job_with(std::string name, std::vector<ScheduleItem> schedule,
             std::vector<std::string> argv) {
  Job job;
  job.name = std::move(name);
  job.where = {"jobs.yaml", 5, 3};
  job.settings.schedule = Schedule{std::move(schedule)};
  job.settings.command = Command{std::move(argv), ""};
  return job;
}

Manifest manifest_of(std::vector<Job> jobs) {
  Manifest m;
  m.file = "/srv/crm/jobs.yaml";
  m.namespace_ = "crm";
  m.jobs = std::move(jobs);
  return m;
}

CrontabOptions utc_options() {
  CrontabOptions options;
  options.system_timezone = "UTC";
  return options;
}

TEST(CrontabBlockTest, PlainJobIsQuotedForShAndEscapedForCron) {
  Manifest m = manifest_of(
      {job_with("stamp", {cron_item("0  2 * * 0")}, {"/bin/date", "+%F %T", "a'b"})});
  Diagnostics d;
  CrontabBlock block = compile_crontab_block(m, utc_options(), d);
  ASSERT_TRUE(d.empty());
  ASSERT_EQ(block.entries.size(), 1u);
  // The backslash in the shell's '\'' is doubled for cron like any other.
  EXPECT_EQ(block.entries[0].lines,
            std::vector<std::string>{"0 2 * * 0 /bin/date '+\\%F \\%T' 'a'\\\\''b'"});
}

TEST(CrontabBlockTest, WorkingDirEnvAndLogTravelOnTheJobsOwnLine) {
  Job job = job_with("report", {cron_item("0 6 * * 1")}, {"/usr/bin/python3", "report.py"});
  job.settings.working_dir = "/srv/crm";
  job.settings.env = {{"DJANGO_SETTINGS_MODULE", "crm.settings"}, {"GREETING", "hi there"}};
  job.settings.log = "/var/log/crm/{job}.log";
  Diagnostics d;
  CrontabBlock block = compile_crontab_block(manifest_of({job}), utc_options(), d);
  ASSERT_TRUE(d.empty());
  EXPECT_EQ(block.entries.at(0).lines.at(0),
            "0 6 * * 1 cd /srv/crm && DJANGO_SETTINGS_MODULE=crm.settings "
            "GREETING='hi there' /usr/bin/python3 report.py >> /var/log/crm/report.log 2>&1");
}

TEST(CrontabBlockTest, RunnerFeaturesGoThroughOmnicronExec) {
  Job job = job_with("clean", {cron_item("0 2 * * 0")}, {"/srv/venv/bin/python", "manage.py"});
  job.settings.timeout = minutes(30);
  job.settings.overlap = Overlap::skip;
  job.settings.retries = Retries{2, minutes(5)};
  job.settings.working_dir = "/srv/crm";
  Diagnostics d;
  CrontabBlock block = compile_crontab_block(manifest_of({job}), utc_options(), d);
  ASSERT_TRUE(d.empty());
  EXPECT_EQ(block.entries.at(0).lines.at(0),
            "0 2 * * 0 /usr/local/bin/omnicron exec --job crm/clean --cwd /srv/crm "
            "--timeout 30m --overlap skip --retries 2 --retry-delay 5m -- "
            "/srv/venv/bin/python manage.py");
}

TEST(CrontabBlockTest, ShellJobKeepsItsLine) {
  Job job = job_with("heartbeat", {cron_item("*/5 * * * *")}, {});
  job.settings.command = Command{{}, "curl -fsS http://localhost:8000/health >/dev/null"};
  Diagnostics d;
  CrontabBlock block = compile_crontab_block(manifest_of({job}), utc_options(), d);
  ASSERT_TRUE(d.empty());
  EXPECT_EQ(block.entries.at(0).lines.at(0),
            "*/5 * * * * curl -fsS http://localhost:8000/health >/dev/null");
}

TEST(CrontabBlockTest, UnionScheduleGivesOneLinePerExpressionUnderOneMarker) {
  ScheduleItem at;
  at.kind = ScheduleItem::Kind::at;
  at.at = {{6, 0}, {18, 30}};
  at.days = {1};
  ScheduleItem boot;
  boot.kind = ScheduleItem::Kind::boot;
  Manifest m = manifest_of({job_with("sync", {at, boot}, {"/bin/true"})});
  Diagnostics d;
  const std::string text = render_crontab_block(compile_crontab_block(m, utc_options(), d));
  ASSERT_TRUE(d.empty());
  // Two times with different minutes need two expressions.
  EXPECT_NE(text.find("0 6 * * 1 /bin/true\n30 18 * * 1 /bin/true\n@reboot /bin/true\n"),
            std::string::npos)
      << text;
}

TEST(CrontabBlockTest, DisabledJobIsKeptCommentedOut) {
  Job job = job_with("old", {cron_item("@daily")}, {"/bin/true"});
  job.settings.enabled = false;
  Diagnostics d;
  const std::string text =
      render_crontab_block(compile_crontab_block(manifest_of({job}), utc_options(), d));
  EXPECT_NE(text.find(" disabled\n# @daily /bin/true\n"), std::string::npos) << text;
}

TEST(CrontabBlockTest, RendersMarkersAroundTheBlock) {
  Manifest m = manifest_of({job_with("a", {cron_item("@hourly")}, {"/bin/true"})});
  Diagnostics d;
  CrontabBlock block = compile_crontab_block(m, utc_options(), d);
  EXPECT_EQ(render_crontab_block(block),
            "# >>> omnicron crm — generated from /srv/crm/jobs.yaml; edits inside are "
            "overwritten\n"
            "# omnicron job=a digest=" + block.entries[0].digest + "\n"
            "@hourly /bin/true\n"
            "# <<< omnicron crm\n");
  EXPECT_EQ(block.entries[0].digest.size(), 8u);
}

TEST(CrontabBlockTest, DigestFollowsWhatWasCompiled) {
  auto digest = [](std::vector<std::string> argv, bool enabled) {
    Job job = job_with("a", {cron_item("@hourly")}, std::move(argv));
    job.settings.enabled = enabled;
    Diagnostics d;
    return compile_crontab_block(manifest_of({job}), utc_options(), d).entries.at(0).digest;
  };
  EXPECT_EQ(digest({"/bin/true"}, true), digest({"/bin/true"}, true));
  EXPECT_NE(digest({"/bin/true"}, true), digest({"/bin/false"}, true));
  EXPECT_NE(digest({"/bin/true"}, true), digest({"/bin/true"}, false));
}

TEST(CrontabBlockTest, RefusesWhatCronCannotDo) {
  Job logon = job_with("greet", {}, {"/bin/true"});
  ScheduleItem item;
  item.kind = ScheduleItem::Kind::logon;
  item.where = {"jobs.yaml", 9, 15};
  logon.settings.schedule = Schedule{{item}};

  Job zoned = job_with("zoned", {cron_item("@daily")}, {"/bin/true"});
  zoned.settings.timezone = "Europe/Berlin";
  zoned.field_locations["timezone"] = {"jobs.yaml", 12, 15};

  Job missed = job_with("catchup", {cron_item("@daily")}, {"/bin/true"});
  missed.settings.missed = Missed::run;

  Job fine = job_with("fine", {cron_item("@daily")}, {"/bin/true"});
  fine.settings.timezone = "UTC";  // The system's own zone is no problem.

  Diagnostics d;
  CrontabBlock block =
      compile_crontab_block(manifest_of({logon, zoned, missed, fine}), utc_options(), d);
  ASSERT_EQ(d.error_count(), 3u);
  EXPECT_EQ(d.items()[0].field, "jobs.greet.schedule");
  EXPECT_EQ(d.items()[0].where.line, 9);
  EXPECT_EQ(d.items()[1].field, "jobs.zoned.timezone");
  EXPECT_EQ(d.items()[1].where.line, 12);
  EXPECT_NE(d.items()[1].message.find("no CRON_TZ"), std::string::npos);
  EXPECT_EQ(d.items()[2].field, "jobs.catchup.missed");
  ASSERT_EQ(block.entries.size(), 1u);
  EXPECT_EQ(block.entries[0].job, "fine");
}

TEST(CrontabBlockTest, RefusesCommandsOverCronsLimit) {
  Manifest m = manifest_of(
      {job_with("long", {cron_item("@daily")}, {"/bin/echo", std::string(990, 'x')})});
  Diagnostics d;
  CrontabBlock block = compile_crontab_block(m, utc_options(), d);
  ASSERT_EQ(d.error_count(), 1u);
  EXPECT_EQ(d.items()[0].message,
            "the crontab command would be 1000 bytes; Debian's cron refuses commands "
            "longer than 998 bytes");
  EXPECT_TRUE(block.entries.empty());
}

// Found by the CLI property test on the real crontab: `crontab -l` prints a
// backspace as "\b", so the table never read back as written.
TEST(CrontabBlockTest, RefusesControlCharactersCrontabPrintsBackOtherwise) {
  Job with_env = job_with("cr", {cron_item("@daily")}, {"/bin/true"});
  with_env.settings.env["X"] = "a\rb";
  Manifest m = manifest_of(
      {job_with("bs", {cron_item("@daily")}, {"/bin/echo", "a\bb"}), with_env,
       job_with("fine", {cron_item("@daily")}, {"/bin/echo", "tab\tesc\x1b"})});
  Diagnostics d;
  CrontabBlock block = compile_crontab_block(m, utc_options(), d);
  ASSERT_EQ(d.error_count(), 2u);
  EXPECT_EQ(d.items()[0].field, "jobs.bs.command");
  EXPECT_EQ(d.items()[0].message,
            "the crontab line would hold a backspace, which `crontab -l` prints back as the "
            "two characters '\\b'");
  EXPECT_EQ(d.items()[1].field, "jobs.cr.command");
  ASSERT_EQ(block.entries.size(), 1u);
  EXPECT_EQ(block.entries[0].job, "fine");
}

TEST(CrontabBlockTest, UserColumnForCronDFiles) {
  Manifest m = manifest_of({job_with("a", {cron_item("@hourly")}, {"/bin/true"})});
  CrontabOptions options = utc_options();
  options.user_column = "www-data";
  Diagnostics d;
  EXPECT_EQ(compile_crontab_block(m, options, d).entries.at(0).lines.at(0),
            "@hourly www-data /bin/true");
}

TEST(CrontabBlockTest, RunAsNamesTheUserOfACronDLine) {
  Job dump = job_with("dump", {cron_item("30 1 * * *")}, {"/usr/bin/pg_dump", "app"});
  dump.settings.run_as = "postgres";
  Job renew = job_with("renew", {cron_item("@daily")}, {"/usr/bin/certbot", "renew"});
  renew.settings.run_as = "system";
  CrontabOptions options = utc_options();
  options.user_column = "backup";
  Diagnostics d;
  CrontabBlock block = compile_crontab_block(manifest_of({dump, renew}), options, d);
  ASSERT_TRUE(d.empty());
  EXPECT_EQ(block.entries.at(0).lines.at(0), "30 1 * * * postgres /usr/bin/pg_dump app");
  EXPECT_EQ(block.entries.at(1).lines.at(0), "@daily root /usr/bin/certbot renew");

  // A user's own table runs everything as its owner: run_as is refused.
  Diagnostics refused;
  compile_crontab_block(manifest_of({dump}), utc_options(), refused);
  ASSERT_EQ(refused.error_count(), 1u);
  EXPECT_EQ(refused.items()[0].field, "jobs.dump.run_as");
}

TEST(CrontabBlockTest, SkipsJobsForOtherPlatforms) {
  Job windows_only = job_with("w", {cron_item("@hourly")}, {"C:\\x.exe"});
  windows_only.platforms = {Platform::windows};
  Diagnostics d;
  EXPECT_TRUE(
      compile_crontab_block(manifest_of({windows_only}), utc_options(), d).entries.empty());
}

}  // namespace
}  // namespace omnicron::posix
