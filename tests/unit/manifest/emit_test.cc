#include "manifest/emit.h"

#include <gtest/gtest.h>

#include "manifest/load.h"

namespace omnicron {
namespace {

Manifest load_ok(const std::string &text) {
  LoadResult r = load_manifest(text, "emitted.yaml");
  std::string errors;
  for (const auto &d : r.diagnostics.items()) errors += render(d, text) + "\n";
  EXPECT_FALSE(r.diagnostics.has_errors()) << errors << text;
  return r.manifest;
}

TEST(EmitManifest, WordsYamlWouldReadAsSomethingElseStayStrings) {
  Manifest m;
  m.namespace_ = "n";
  Job job;
  job.name = "j";
  ScheduleItem item;
  item.cron = "@daily";
  job.settings.schedule = Schedule{{item}};
  job.settings.command =
      Command{{"/bin/echo", "on",     "yes",       "No",       "null",  "~",   "010", "1.5",
               "-1",        "a: b",   "#x",        "a #b",     "[x]",   "{y}", "*",   "&a",
               "!t",        "|",      ">",         "'",        "\"",    "%",   "@x",  "`c`",
               " lead",     "trail ", "tab\there", "bell\x07", "grüße", ""},
              ""};
  job.settings.env = {{"Y", "true"}, {"Z", "0x1F"}};
  job.settings.description = "- looks like a list: [1]";
  m.jobs.push_back(job);
  const std::string text = emit_manifest(m);
  const Manifest back = load_ok(text);
  ASSERT_EQ(back.jobs.size(), 1u) << text;
  EXPECT_EQ(back.jobs[0].settings.command, job.settings.command) << text;
  EXPECT_EQ(back.jobs[0].settings.env, job.settings.env) << text;
  EXPECT_EQ(back.jobs[0].settings.description, job.settings.description) << text;
}

TEST(EmitManifest, EverySettingSurvivesALoad) {
  const std::string source = R"(version: 1
namespace: crm
defaults:
  working_dir: /srv/crm
  env: { DJANGO_SETTINGS_MODULE: crm.settings }
  windows: { working_dir: "C:\\crm" }
jobs:
  a:
    description: Nightly
    schedule:
      - "0 2 * * *"
      - { every: 15m }
      - { at: ["06:00", "18:30"], days: [mon, sun] }
      - { on: boot }
      - { on: logon }
    shell: "echo hi | wc"
    log: /var/log/{job}.log
    timeout: 1h30m
    overlap: skip
    retries: { count: 2, delay: 5m }
    enabled: false
    missed: run
    conditions: { ac_power: true, idle: 10m }
    run_as: system
    random_delay: 2m
    timezone: Europe/Berlin
    platforms: [windows]
    windows: { command: ["C:\\bin\\x.exe", /q] }
)";
  const Manifest first = load_ok(source);
  const std::string text = emit_manifest(first, {{"header"}, {{"a", {"about a"}}}, {"footer"}});
  const Manifest second = load_ok(text);
  EXPECT_EQ(emit_manifest(second, {{"header"}, {{"a", {"about a"}}}, {"footer"}}), text);
  EXPECT_NE(text.find("# header\nversion: 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  # about a\n  a:\n"), std::string::npos) << text;
  EXPECT_TRUE(text.ends_with("\n# footer\n")) << text;
  const auto &a = second.jobs.at(0);
  EXPECT_EQ(a.settings.schedule->items.size(), 5u);
  EXPECT_EQ(a.settings.retries, (Retries{2, std::chrono::minutes(5)}));
  EXPECT_EQ(second.defaults_windows.working_dir, "C:\\crm");
  EXPECT_EQ(a.windows.command->argv.at(0), "C:\\bin\\x.exe");
}

}  // namespace
}  // namespace omnicron
