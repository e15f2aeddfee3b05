#include "posix/crontab_text.h"

#include <map>
#include <random>

#include <gtest/gtest.h>

#include "error.h"
#include "posix/crontab_block.h"
#include "posix/shell_quote.h"

namespace omnicron::posix {
namespace {

struct JobSpec {
  std::string name;
  std::vector<std::string> lines;
  bool enabled = true;
};

// A block as the compiler would produce it, with correct digests.
std::string block_of(const std::string& ns, const std::vector<JobSpec>& jobs,
                     const std::string& source = "/srv/jobs.yaml") {
  CrontabBlock block{ns, source, {}};
  for (const JobSpec& job : jobs)
    block.entries.push_back(
        {job.name, crontab_digest(job.lines, job.enabled), job.lines, job.enabled, false, {}});
  return render_crontab_block(block);
}

// The begin marker's separator mark, as replace_block writes it.
constexpr std::string_view kMark = "; omnicron ended the line above, digest=";

// The text with the separator marks (and the digests after them) taken off
// the begin markers that have one.
std::string without_mark(std::string text) {
  for (std::size_t at = text.find(kMark); at != std::string::npos; at = text.find(kMark, at))
    text.erase(at, kMark.size() + 8);
  return text;
}

const std::string kRealWorld =
    "# Edit this file to introduce tasks to be run by cron.\n"
    "# m h  dom mon dow   command\n"
    "MAILTO=\"ops@example.com\"\n"
    "PATH = /usr/local/bin:/usr/bin:/bin   \n"
    "\n"
    "# nightly backup\n"
    "30 2 * * *\t/usr/local/bin/backup.sh --all >> /var/log/backup.log 2>&1\n"
    "@reboot /usr/bin/tmux new -d -s main\r\n"
    "  */15  9-17 * * mon-fri  date +\\%H:\\%M >> /tmp/stamps   \n"
    "0 0 1 * * mail -s report root%Hello%World\n"
    "#0 5 * * * /usr/bin/disabled-by-hand\n"
    "\t\t\n"
    "# last line has no newline";

TEST(CrontabTextTest, KeepsForeignBytesExactly) {
  const ParsedCrontab table = parse_crontab(kRealWorld);
  ASSERT_EQ(table.segments.size(), 1u);
  const auto& foreign = std::get<ForeignText>(table.segments[0]);
  EXPECT_EQ(foreign.text, kRealWorld);
  EXPECT_EQ(foreign.first_line, 1);
  EXPECT_TRUE(table.problems.empty());
  EXPECT_TRUE(table.blocks().empty());
  EXPECT_EQ(table.text(), kRealWorld);
  EXPECT_EQ(table.foreign_text(), kRealWorld);
}

TEST(CrontabTextTest, EmptyTableGetsJustTheBlock) {
  const ParsedCrontab empty = parse_crontab("");
  EXPECT_TRUE(empty.segments.empty());
  const std::string block = block_of("crm", {{"a", {"@hourly /bin/true"}}});
  const std::string with = replace_block(empty, "crm", block);
  EXPECT_EQ(with, block);
  EXPECT_EQ(replace_block(parse_crontab(with), "crm", std::nullopt), "");
}

TEST(CrontabTextTest, ReadsBlockEntriesAndSource) {
  const std::string block = block_of(
      "crm", {{"heartbeat", {"*/5 * * * * /bin/true"}},
              {"sync", {"0 6 * * 1 /bin/sync", "30 18 * * 1 /bin/sync"}},
              {"old", {"@daily /bin/old"}, false}},
      "/srv/crm/jobs.yaml");
  const std::string text = "MAILTO=\"\"\n" + block + "# mine\n";
  const ParsedCrontab table = parse_crontab(text);
  ASSERT_EQ(table.segments.size(), 3u);
  EXPECT_TRUE(table.problems.empty());
  const ParsedBlock* b = table.find_block("crm");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->namespace_, "crm");
  EXPECT_EQ(b->source, "/srv/crm/jobs.yaml");
  EXPECT_EQ(b->begin_line, 2);
  EXPECT_EQ(b->end_line, 10);
  EXPECT_EQ(b->text, block);
  EXPECT_FALSE(b->separator_before);
  ASSERT_EQ(b->entries.size(), 3u);
  EXPECT_EQ(b->entries[0].job, "heartbeat");
  EXPECT_EQ(b->entries[0].line, 3);
  EXPECT_EQ(b->entries[1].lines,
            (std::vector<std::string>{"0 6 * * 1 /bin/sync", "30 18 * * 1 /bin/sync"}));
  EXPECT_FALSE(b->entries[2].enabled);
  EXPECT_EQ(b->entries[2].lines, std::vector<std::string>{"# @daily /bin/old"});
  EXPECT_EQ(b->entries[2].digest, crontab_digest({"@daily /bin/old"}, false));
  for (const auto& entry : b->entries) EXPECT_FALSE(entry.edited_by_hand) << entry.job;
  EXPECT_FALSE(b->edited_by_hand());
  EXPECT_EQ(std::get<ForeignText>(table.segments[2]).first_line, 11);
  EXPECT_EQ(table.foreign_text(), "MAILTO=\"\"\n# mine\n");
  EXPECT_EQ(table.text(), text);
}

TEST(CrontabTextTest, DigestAgreesWithTheCompiler) {
  Job job;
  job.name = "a";
  ScheduleItem item;
  item.kind = ScheduleItem::Kind::cron;
  item.cron = "@hourly";
  job.settings.schedule = Schedule{{item}};
  job.settings.command = Command{{"/bin/echo", "50%"}, ""};
  Manifest manifest;
  manifest.file = "/srv/m.yaml";
  manifest.namespace_ = "m";
  manifest.jobs = {job};
  CrontabOptions options;
  options.system_timezone = "UTC";
  Diagnostics d;
  const std::string text = render_crontab_block(compile_crontab_block(manifest, options, d));
  ASSERT_TRUE(d.empty());
  const ParsedCrontab table = parse_crontab(text);
  ASSERT_EQ(table.blocks().size(), 1u);
  ASSERT_EQ(table.blocks()[0]->entries.size(), 1u);
  EXPECT_FALSE(table.blocks()[0]->entries[0].edited_by_hand);
}

TEST(CrontabTextTest, HandEditedBlockIsDrift) {
  const std::string block =
      block_of("crm", {{"a", {"@hourly /bin/a"}}, {"b", {"@daily /bin/b"}},
                       {"c", {"@weekly /bin/c"}, false}, {"d", {"@monthly /bin/d"}}});
  std::string text = block;
  auto edit = [&text](const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  edit("@hourly /bin/a\n", "@hourly /bin/a --verbose\n");     // changed
  edit("@daily /bin/b\n", "@daily /bin/b\n@daily /bin/b2\n");  // added
  edit("# @weekly /bin/c\n", "@weekly /bin/c\n");              // switched on again
  const ParsedCrontab table = parse_crontab(text);
  const ParsedBlock* b = table.find_block("crm");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->entries.size(), 4u);
  EXPECT_TRUE(b->entries[0].edited_by_hand);
  EXPECT_TRUE(b->entries[1].edited_by_hand);
  EXPECT_EQ(b->entries[1].lines.size(), 2u);
  EXPECT_TRUE(b->entries[2].edited_by_hand);
  EXPECT_FALSE(b->entries[3].edited_by_hand);
  EXPECT_TRUE(b->edited_by_hand());
  EXPECT_TRUE(table.problems.empty());
}

TEST(CrontabTextTest, CrlfBlockKeepsItsMarkersButItsLinesDrift) {
  std::string block = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  std::string crlf;
  for (char c : block) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const ParsedCrontab table = parse_crontab(crlf);
  const ParsedBlock* b = table.find_block("crm");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->text, crlf);
  // Cron would see the CR as part of the command: the line is not what was
  // compiled any more.
  EXPECT_EQ(b->entries.at(0).lines, std::vector<std::string>{"@hourly /bin/a\r"});
  EXPECT_TRUE(b->entries.at(0).edited_by_hand);
}

TEST(CrontabTextTest, ReplacesBlockInPlace) {
  const std::string before = "# top\r\nA=1\n";
  const std::string after = "\n0 1 * * * /bin/after   \n# tail";
  const std::string old_block = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  const std::string new_block = block_of("crm", {{"a", {"@daily /bin/a"}}, {"b", {"@daily /bin/b"}}});
  const ParsedCrontab table = parse_crontab(before + old_block + after);
  EXPECT_EQ(replace_block(table, "crm", new_block), before + new_block + after);
  EXPECT_EQ(replace_block(table, "crm", std::nullopt), before + after);
}

TEST(CrontabTextTest, AppendsAfterTableWithFinalNewline) {
  const std::string foreign = "# mine\n0 1 * * * /bin/x\n";
  const std::string block = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  const std::string text = replace_block(parse_crontab(foreign), "crm", block);
  EXPECT_EQ(text, foreign + block);
  const ParsedCrontab table = parse_crontab(text);
  EXPECT_FALSE(table.find_block("crm")->separator_before);
  EXPECT_EQ(table.foreign_text(), foreign);
  EXPECT_EQ(replace_block(table, "crm", std::nullopt), foreign);
}

TEST(CrontabTextTest, EndsAJobLineWithoutNewlineBeforeAppending) {
  const std::string foreign = "0 1 * * * /bin/x";
  const std::string block = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  const std::string text = replace_block(parse_crontab(foreign), "crm", block);
  // The newline omnicron adds is its own, and so is the missing one at the
  // end: the table still ends as it did, in a comment crontab accepts. The
  // block's begin marker records that the newline is omnicron's.
  EXPECT_EQ(without_mark(text), foreign + "\n" + block.substr(0, block.size() - 1));
  EXPECT_NE(text.find(kMark), std::string::npos);
  const ParsedCrontab table = parse_crontab(text);
  const ParsedBlock* b = table.find_block("crm");
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(b->separator_before);
  EXPECT_EQ(b->begin_line, 2);
  EXPECT_EQ(table.foreign_text(), foreign);
  EXPECT_EQ(table.text(), text);
  EXPECT_TRUE(table.problems.empty());

  // A second block goes after the first; removing both gives back the table.
  const std::string other = block_of("web", {{"w", {"@daily /bin/w"}}});
  const std::string two = replace_block(table, "web", other);
  EXPECT_EQ(without_mark(two), foreign + "\n" + block + other.substr(0, other.size() - 1));
  const ParsedCrontab both = parse_crontab(two);
  EXPECT_EQ(both.foreign_text(), foreign);
  const std::string only_web = replace_block(both, "crm", std::nullopt);
  EXPECT_EQ(only_web, foreign + "\n" + other.substr(0, other.size() - 1));
  EXPECT_EQ(replace_block(parse_crontab(only_web), "web", std::nullopt), foreign);
  const std::string only_crm = replace_block(both, "web", std::nullopt);
  EXPECT_EQ(only_crm, text);
}

TEST(CrontabTextTest, TwoNamespacesSideBySide) {
  const std::string crm = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  const std::string web = block_of("web", {{"w", {"*/5 * * * * /bin/w"}}});
  const std::string text = "# x\n" + crm + web + "# y\n";
  const ParsedCrontab table = parse_crontab(text);
  ASSERT_EQ(table.blocks().size(), 2u);
  const std::string crm2 = block_of("crm", {{"a", {"@daily /bin/a"}}});
  const std::string changed = replace_block(table, "crm", crm2);
  EXPECT_EQ(changed, "# x\n" + crm2 + web + "# y\n");
  const ParsedCrontab again = parse_crontab(changed);
  EXPECT_EQ(again.find_block("web")->text, table.find_block("web")->text);
  EXPECT_EQ(replace_block(again, "crm", std::nullopt), "# x\n" + web + "# y\n");
}

TEST(CrontabTextTest, BlockWithoutEndMarkerStaysForeignAndIsNotWritten) {
  std::string block = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  block.erase(block.find("# <<< omnicron crm\n"));
  const std::string text = "# top\n" + block + "0 1 * * * /bin/mine\n";
  const ParsedCrontab table = parse_crontab(text);
  EXPECT_TRUE(table.blocks().empty());
  EXPECT_EQ(table.foreign_text(), text);
  ASSERT_EQ(table.problems.size(), 1u);
  EXPECT_EQ(table.problems[0].to_string(),
            "line 2: block 'crm' has no end marker '# <<< omnicron crm'; its lines are left "
            "as they are and 'crm' is not written until the end marker is put back after "
            "its last job or the block is deleted by hand");
  EXPECT_TRUE(table.problems[0].blocks_writes);
  EXPECT_THROW(replace_block(table, "crm", block_of("crm", {})), Error);
  EXPECT_THROW(replace_block(table, "crm", std::nullopt), Error);
  // Other namespaces are still written.
  const std::string web = block_of("web", {});
  EXPECT_EQ(replace_block(table, "web", web), text + web);
}

TEST(CrontabTextTest, BlockCutShortByTheNextBlockDoesNotSwallowIt) {
  std::string broken = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  broken.erase(broken.find("# <<< omnicron crm\n"));
  const std::string web = block_of("web", {{"w", {"@daily /bin/w"}}});
  const std::string text = broken + web;
  const ParsedCrontab table = parse_crontab(text);
  ASSERT_EQ(table.blocks().size(), 1u);
  EXPECT_EQ(table.blocks()[0]->namespace_, "web");
  EXPECT_EQ(table.foreign_text(), broken);
  ASSERT_EQ(table.problems.size(), 1u);
  EXPECT_EQ(table.problems[0].line, 1);
  EXPECT_NE(table.problems[0].message.find("before the next block starts on line 4"),
            std::string::npos)
      << table.problems[0].message;
}

TEST(CrontabTextTest, SecondBlockOfANamespaceIsRefused) {
  const std::string crm = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  const std::string text = crm + "# between\n" + crm;
  const ParsedCrontab table = parse_crontab(text);
  EXPECT_EQ(table.blocks().size(), 2u);
  ASSERT_EQ(table.problems.size(), 1u);
  EXPECT_EQ(table.problems[0].to_string(),
            "line 6: a second block for namespace 'crm' (the first starts on line 1); 'crm' "
            "is not written until one of them is deleted by hand");
  EXPECT_THROW(replace_block(table, "crm", std::nullopt), Error);
  EXPECT_EQ(table.text(), text);
}

TEST(CrontabTextTest, StrayTextInsideABlockIsReported) {
  std::string text = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  text.insert(text.find("# omnicron job="), "MAILTO=me\n\n");
  const ParsedCrontab table = parse_crontab(text);
  const ParsedBlock* b = table.find_block("crm");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->stray_lines, (std::vector<int>{2, 3}));
  EXPECT_TRUE(b->edited_by_hand());
  ASSERT_EQ(table.problems.size(), 2u);
  EXPECT_EQ(table.problems[0].line, 2);
  EXPECT_FALSE(table.problems[0].blocks_writes);
  EXPECT_EQ(table.text(), text);
  // Like any edit inside, it is overwritten by the next write.
  EXPECT_EQ(replace_block(table, "crm", std::nullopt), "");
}

TEST(CrontabTextTest, EndMarkerWithoutBeginIsForeign) {
  const std::string text = "# <<< omnicron crm\n0 1 * * * /bin/x\n";
  const ParsedCrontab table = parse_crontab(text);
  EXPECT_TRUE(table.blocks().empty());
  EXPECT_EQ(table.foreign_text(), text);
  ASSERT_EQ(table.problems.size(), 1u);
  EXPECT_EQ(table.problems[0].line, 1);
  EXPECT_FALSE(table.problems[0].blocks_writes);
}

TEST(CrontabTextTest, AlmostMarkersAreForeign) {
  const std::string text =
      "#>>> omnicron crm\n"
      "# >>> omnicroncrm\n"
      "  # >>> omnicron crm\n"
      "# >>> omnicron\n"
      "# >>> omnicron\tcrm\n"
      "# omnicron job=a digest=12345678\n"
      "# <<< omnicron crm junk\n";
  const ParsedCrontab table = parse_crontab(text);
  EXPECT_TRUE(table.blocks().empty());
  EXPECT_TRUE(table.problems.empty());
  EXPECT_EQ(table.foreign_text(), text);
}

TEST(CrontabTextTest, MarkersTolerateTrailingBlanksAndCr) {
  std::string text = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  text.replace(text.find("overwritten\n"), 12, "overwritten \r\n");
  text.replace(text.find("# <<< omnicron crm\n"), 19, "# <<< omnicron crm\t\r\n");
  const ParsedCrontab table = parse_crontab(text);
  const ParsedBlock* b = table.find_block("crm");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->source, "/srv/jobs.yaml");
  EXPECT_FALSE(b->edited_by_hand());
}

TEST(CrontabTextTest, RefusesTextThatIsNotOneBlock) {
  const ParsedCrontab table = parse_crontab("# x\n");
  EXPECT_THROW(replace_block(table, "crm", block_of("web", {})), Error);
  EXPECT_THROW(replace_block(table, "crm", "0 * * * * /bin/x\n"), Error);
  const std::string no_newline = block_of("crm", {});
  EXPECT_THROW(replace_block(table, "crm", no_newline.substr(0, no_newline.size() - 1)),
               Error);
  EXPECT_THROW(replace_block(table, "crm", block_of("crm", {}) + "# more\n"), Error);
}

TEST(CrontabTextTest, RemovingAMissingBlockChangesNothing) {
  EXPECT_EQ(replace_block(parse_crontab(kRealWorld), "crm", std::nullopt), kRealWorld);
}

TEST(CrontabTextTest, UnescapesCommands) {
  EXPECT_EQ(crontab_unescape("date +\\%F"), "date +%F");
  EXPECT_EQ(crontab_unescape("a\\\\b"), "a\\b");
  EXPECT_EQ(crontab_unescape("a\\nb\\"), "a\\nb\\");
  EXPECT_EQ(crontab_unescape("mail root%hi"), std::nullopt);
  EXPECT_EQ(crontab_unescape("a\\\\%b"), std::nullopt);
  // The writer rule of crontab_escape reads back to what was written.
  for (std::string_view command : {"printf '%s\\n' 100%", "a\\%b", "\\\\", "%%"})
    EXPECT_EQ(crontab_unescape(crontab_escape(command)), std::string(command));
}

TEST(CrontabTextTest, ReadsForeignJobs) {
  std::vector<UnexpressibleLine> bad;
  const auto jobs = parse_foreign_jobs(parse_crontab(kRealWorld), false, bad);
  ASSERT_EQ(jobs.size(), 3u);

  EXPECT_EQ(jobs[0].line, 7);
  EXPECT_EQ(jobs[0].schedule, "30 2 * * *");
  EXPECT_EQ(jobs[0].command, "/usr/local/bin/backup.sh --all >> /var/log/backup.log 2>&1");
  EXPECT_EQ(jobs[0].description, "nightly backup");
  EXPECT_EQ(jobs[0].environment,
            (std::vector<std::pair<std::string, std::string>>{
                {"MAILTO", "ops@example.com"}, {"PATH", "/usr/local/bin:/usr/bin:/bin"}}));
  EXPECT_FALSE(jobs[0].user);

  EXPECT_EQ(jobs[1].schedule, "@reboot");
  EXPECT_EQ(jobs[1].command, "/usr/bin/tmux new -d -s main");
  EXPECT_EQ(jobs[1].text, "@reboot /usr/bin/tmux new -d -s main\r");
  EXPECT_FALSE(jobs[1].description);

  EXPECT_EQ(jobs[2].line, 9);
  EXPECT_EQ(jobs[2].schedule, "*/15 9-17 * * mon-fri");
  EXPECT_EQ(jobs[2].command, "date +%H:%M >> /tmp/stamps   ");

  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].line, 10);
  EXPECT_EQ(bad[0].text, "0 0 1 * * mail -s report root%Hello%World");
  EXPECT_NE(bad[0].reason.find("unescaped '%'"), std::string::npos);
}

TEST(CrontabTextTest, EnvironmentFollowsTheLinesAndSkipsOmnicronBlocks) {
  const std::string text =
      "SHELL=/bin/bash\n"
      "0 1 * * * /bin/one\n"
      "'QUOTED NAME' = \"two words\"  \n"
      "SHELL = '/bin/sh'\n" +
      block_of("crm", {{"a", {"@hourly /bin/a"}}}) +
      "# comment above\n"
      "EMPTY=\n"
      "@daily /bin/two\n";
  std::vector<UnexpressibleLine> bad;
  const auto jobs = parse_foreign_jobs(parse_crontab(text), false, bad);
  EXPECT_TRUE(bad.empty());
  ASSERT_EQ(jobs.size(), 2u);
  using Env = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(jobs[0].environment, (Env{{"SHELL", "/bin/bash"}}));
  EXPECT_EQ(jobs[1].environment,
            (Env{{"SHELL", "/bin/sh"}, {"QUOTED NAME", "two words"}, {"EMPTY", ""}}));
  EXPECT_EQ(jobs[1].line, 11);
  // An environment line between the comment and the job breaks the link.
  EXPECT_FALSE(jobs[1].description);
}

TEST(CrontabTextTest, ReadsTheUserColumnOfCronDFiles) {
  const std::string text =
      "# renew certificates\n"
      "17 3 * * * root /usr/bin/certbot renew -q\n"
      "@hourly www-data php /srv/cron.php\n"
      "@daily\n"
      "5 4 * * *   postgres\n";
  std::vector<UnexpressibleLine> bad;
  const auto jobs = parse_foreign_jobs(parse_crontab(text), true, bad);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].user, "root");
  EXPECT_EQ(jobs[0].command, "/usr/bin/certbot renew -q");
  EXPECT_EQ(jobs[0].description, "renew certificates");
  EXPECT_EQ(jobs[1].user, "www-data");
  EXPECT_EQ(jobs[1].schedule, "@hourly");
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].line, 4);
  EXPECT_EQ(bad[1].line, 5);
  EXPECT_EQ(bad[1].reason, "the job has no command");
}

TEST(CrontabTextTest, ReportsLinesCronWouldNotTake) {
  const std::string text =
      "@Daily /bin/x\n"
      "@every 5m /bin/x\n"
      "hello world\n"
      "5 * * *\n"
      "0 0 * * *\n"
      "A='unclosed\n"
      "# 0 1 * * * /bin/commented\n";
  std::vector<UnexpressibleLine> bad;
  const auto jobs = parse_foreign_jobs(parse_crontab(text), false, bad);
  EXPECT_TRUE(jobs.empty());
  ASSERT_EQ(bad.size(), 6u);
  EXPECT_NE(bad[0].reason.find("unknown schedule '@Daily'"), std::string::npos);
  EXPECT_NE(bad[1].reason.find("unknown schedule '@every'"), std::string::npos);
  EXPECT_NE(bad[2].reason.find("cron would not accept"), std::string::npos);
  EXPECT_NE(bad[3].reason.find("cron would not accept"), std::string::npos);
  EXPECT_EQ(bad[4].reason, "the job has no command");
  EXPECT_EQ(bad[5].line, 6);
}

// ---- Property test --------------------------------------------------------

class Random {
 public:
  explicit Random(unsigned seed) : engine_(seed) {}
  int below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(engine_); }
  bool chance(int percent) { return below(100) < percent; }
  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(below(static_cast<int>(items.size())))];
  }

 private:
  std::mt19937 engine_;
};

// One foreign line without its end. Orphan begin markers only use
// namespaces the test never writes (they block writes to theirs), and
// orphan end markers only namespaces no orphan begin uses, so the text has
// no block of its own.
std::string foreign_line(Random& r) {
  static const std::vector<std::string> kLines = {
      "# a comment",
      "#0 5 * * * /bin/commented-out",
      "",
      "   ",
      "\t",
      "MAILTO=\"\"",
      "PATH = /usr/bin:/bin",
      "'A B' = 'c d'",
      "*/5 * * * * /usr/bin/curl -fsS http://x/ >/dev/null",
      "0 2 * * 0\t/bin/date +\\%F 100%stdin",
      "@reboot /bin/boot",
      "@daily\t\t/bin/daily   ",
      "#>>> omnicron a",
      "# >>> omnicrona",
      "  # >>> omnicron b",
      "# >>> omnicron",
      "# >>> omnicron\ta",
      "# >> omnicron c",
      "# <<< omnicron",
      "# <<< omnicron a b",
      "# omnicron job=x digest=12345678",
      "# omnicron job=y digest=deadbeef disabled",
      "# <<< omnicron a",
      "# <<< omnicron b",
      "# <<< omnicron c",
      "# >>> omnicron zz — generated from /elsewhere.yaml; edits inside are overwritten",
      "# >>> omnicron yy",
      "# <<< omnicron zzz",
  };
  std::string line;
  if (r.chance(5)) {
    const int n = r.below(20);
    for (int i = 0; i < n; ++i) {
      char c = static_cast<char>(1 + r.below(255));
      if (c != '\n') line += c;
    }
  } else {
    line = r.pick(kLines);
  }
  if (r.chance(10)) line += r.pick(std::vector<std::string>{" ", "\t", "  \t"});
  if (r.chance(10)) line += '\r';
  return line;
}

std::string foreign_table(Random& r) {
  std::string text;
  const int n = r.chance(10) ? 0 : r.below(12);
  for (int i = 0; i < n; ++i) {
    text += foreign_line(r);
    if (i + 1 < n || r.chance(60)) text += '\n';
  }
  // A table that is only an unterminated job line, or only blank lines.
  if (r.chance(3)) text = r.chance(50) ? "0 1 * * * /bin/x" : "\n\n";
  return text;
}

std::string random_block(Random& r, const std::string& ns) {
  std::vector<JobSpec> jobs;
  const int n = r.below(4);
  for (int i = 0; i < n; ++i) {
    JobSpec job{"job" + std::to_string(i), {}, !r.chance(20)};
    const int lines = 1 + r.below(2);
    for (int k = 0; k < lines; ++k)
      job.lines.push_back(r.pick(std::vector<std::string>{
          "@hourly /bin/true", "*/5 * * * * /bin/x \\%F", "0 6 * * 1 /bin/y"}));
    jobs.push_back(std::move(job));
  }
  return block_of(ns, jobs, "/srv/" + ns + std::to_string(r.below(3)) + ".yaml");
}

// The block's text as it was given, whatever framing it was written with:
// without the separator newline, the mark that records it and the missing
// final newline.
std::string unframed(const ParsedBlock& block) {
  std::string text = block.text;
  if (block.separator_before) text.erase(0, 1);
  text = without_mark(text);
  if (!text.ends_with('\n')) text += '\n';
  return text;
}

TEST(CrontabTextTest, PropertyForeignBytesSurviveEveryWrite) {
  Random r(20260417);
  // How often the interesting shapes came up, so a change to the generator
  // cannot quietly stop testing them.
  int separators = 0;
  int removals = 0;
  int nested_tails = 0;
  for (int c = 0; c < 2000; ++c) {
    const std::string original = foreign_table(r);
    SCOPED_TRACE("case " + std::to_string(c) + ": " + testing::PrintToString(original));
    const ParsedCrontab first = parse_crontab(original);
    ASSERT_TRUE(first.blocks().empty());
    ASSERT_EQ(first.text(), original);
    ASSERT_EQ(first.foreign_text(), original);

    const std::vector<std::string> all = {"a", "b", "c"};
    const std::vector<std::string> spaces(all.begin(), all.begin() + 1 + r.below(3));
    std::map<std::string, std::string> expected;
    std::string text = original;
    const int steps = 1 + r.below(10);
    for (int s = 0; s < steps; ++s) {
      const std::string& ns = r.pick(spaces);
      const bool remove = r.chance(30);
      const ParsedCrontab before = parse_crontab(text);
      if (remove) {
        text = replace_block(before, ns, std::nullopt);
        expected.erase(ns);
      } else {
        const std::string block = random_block(r, ns);
        text = replace_block(before, ns, block);
        expected[ns] = block;
      }
      SCOPED_TRACE("step " + std::to_string(s) + ": " + testing::PrintToString(text));
      const ParsedCrontab after = parse_crontab(text);
      ASSERT_EQ(after.text(), text);
      const auto blocks = after.blocks();
      if (!blocks.empty() && blocks.front()->separator_before) ++separators;
      if (blocks.size() > 1 && blocks.back()->separator_before == false &&
          !text.ends_with('\n'))
        ++nested_tails;
      if (remove) ++removals;
      ASSERT_EQ(after.foreign_text(), original);
      ASSERT_EQ(after.blocks().size(), expected.size());
      // Orphan begin markers of namespaces the test never writes block
      // those namespaces only.
      for (const auto& p : after.problems)
        ASSERT_FALSE(p.blocks_writes && p.namespace_.size() == 1) << p.to_string();
      for (const auto& [name, block] : expected) {
        const ParsedBlock* found = after.find_block(name);
        ASSERT_NE(found, nullptr) << name;
        ASSERT_EQ(unframed(*found), block);
        ASSERT_FALSE(found->edited_by_hand());
        // Blocks other than the one written keep their bytes, apart from
        // the framing at the table's end.
        if (name != ns) {
          const ParsedBlock* old = before.find_block(name);
          ASSERT_NE(old, nullptr);
          ASSERT_EQ(unframed(*old), unframed(*found));
        }
      }
      // A table that ended in a newline still does; crontab needs it after
      // a job line.
      if (original.empty() || original.ends_with('\n')) {
        ASSERT_TRUE(text.empty() || text.ends_with('\n'));
      }
    }
    for (const auto& [name, block] : expected)
      text = replace_block(parse_crontab(text), name, std::nullopt);
    ASSERT_EQ(text, original);
  }
  EXPECT_GT(separators, 500);
  EXPECT_GT(removals, 500);
  EXPECT_GT(nested_tails, 100);
}

// ---- The separator newline and lines added by hand ------------------------

// A foreign table without a final newline gets one from omnicron before its
// first block; the block's begin marker records that. These put a line in by
// hand at each place a person might, remove the blocks in each order, and
// check that the hand-added line keeps its newline and that, with no blocks
// left, the table is the foreign text with the line in it.
struct HandLineCase {
  std::string foreign;  // the table before omnicron wrote to it
  std::string line;     // the line added by hand, with its line end
  enum Where { kBeforeFirst, kBetween, kAfterLast } where;
  std::vector<std::string> removal_order;
};

std::string run_hand_line_case(const HandLineCase& c) {
  const std::string crm = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  const std::string web = block_of("web", {{"w", {"@daily /bin/w"}}});
  std::string text = replace_block(parse_crontab(c.foreign), "crm", crm);
  text = replace_block(parse_crontab(text), "web", web);
  EXPECT_EQ(parse_crontab(text).foreign_text(), c.foreign);
  const std::size_t crm_at = text.find("# >>> omnicron crm");
  const std::size_t web_at = text.find("# >>> omnicron web");
  switch (c.where) {
    case HandLineCase::kBeforeFirst: text.insert(crm_at, c.line); break;
    case HandLineCase::kBetween: text.insert(web_at, c.line); break;
    // An editor ends the last line when a line is added after it.
    case HandLineCase::kAfterLast: text += "\n" + c.line; break;
  }
  for (const std::string& ns : c.removal_order) {
    const ParsedCrontab table = parse_crontab(text);
    EXPECT_EQ(table.text(), text);
    EXPECT_NE(table.find_block(ns), nullptr) << ns;
    text = replace_block(table, ns, std::nullopt);
    // Whatever is left, the hand-added line is whole, on a line of its own.
    const std::size_t at = text.find(c.line);
    if (at == std::string::npos) {
      ADD_FAILURE() << "the hand-added line lost its line end after removing " << ns << ": "
                    << testing::PrintToString(text);
      return text;
    }
    EXPECT_TRUE(at == 0 || text[at - 1] == '\n') << testing::PrintToString(text);
  }
  return text;
}

// Removes the blocks in every order and checks that the hand-added line
// keeps its line end; with both blocks gone the table is the foreign text,
// the one newline omnicron added, and the line.
void expect_hand_line_kept(const std::string& foreign, const std::string& line,
                           decltype(HandLineCase::kBetween) where) {
  for (const auto& order : std::vector<std::vector<std::string>>{
           {"web"}, {"crm"}, {"web", "crm"}, {"crm", "web"}}) {
    SCOPED_TRACE(testing::PrintToString(order) + " at " + std::to_string(where));
    const std::string text = run_hand_line_case({foreign, line, where, order});
    if (order.size() == 2) {
      EXPECT_EQ(text, foreign + "\n" + line);
    }
  }
}

TEST(CrontabTextTest, HandAddedLineBetweenBlocksKeepsItsNewline) {
  expect_hand_line_kept("0 1 * * * /bin/x", "0 2 * * * /bin/y\n", HandLineCase::kBetween);
}

TEST(CrontabTextTest, HandAddedLineBeforeFirstBlockKeepsItsNewline) {
  expect_hand_line_kept("0 1 * * * /bin/x", "0 2 * * * /bin/y\n", HandLineCase::kBeforeFirst);
}

TEST(CrontabTextTest, HandAddedLineAfterLastBlockKeepsItsNewline) {
  expect_hand_line_kept("0 1 * * * /bin/x", "0 2 * * * /bin/y\n", HandLineCase::kAfterLast);
}

TEST(CrontabTextTest, HandAddedLineInCrlfTableKeepsItsLineEnd) {
  for (const auto where :
       {HandLineCase::kBeforeFirst, HandLineCase::kBetween, HandLineCase::kAfterLast})
    expect_hand_line_kept("# top\r\n0 1 * * * /bin/x", "0 2 * * * /bin/y\r\n", where);
}

TEST(CrontabTextTest, SeparatorIsRecordedOnTheBeginMarker) {
  const std::string foreign = "0 1 * * * /bin/x";
  const std::string block = block_of("crm", {{"a", {"@hourly /bin/a"}}}, "/srv/crm.yaml");
  const std::string text = replace_block(parse_crontab(foreign), "crm", block);
  const std::size_t from = foreign.size() + 1;
  const std::string first_line = text.substr(from, text.find('\n', from) - from);
  // The mark follows the source, so the block is still recognised by its
  // begin prefix and namespace, and the source is read without it.
  EXPECT_TRUE(first_line.starts_with(
      "# >>> omnicron crm — generated from /srv/crm.yaml; edits inside are overwritten" +
      std::string(kMark)))
      << first_line;
  const ParsedCrontab table = parse_crontab(text);
  const ParsedBlock* b = table.find_block("crm");
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->source, "/srv/crm.yaml");
  EXPECT_TRUE(b->separator_before);
  ASSERT_TRUE(b->separator_digest.has_value());
  EXPECT_EQ(unframed(*b), block);
  EXPECT_FALSE(b->edited_by_hand());
  EXPECT_TRUE(table.problems.empty());

  // Rewriting the block keeps the mark; a trailing CR an editor added to
  // the marker does not hide it.
  const std::string changed = block_of("crm", {{"a", {"@daily /bin/a"}}}, "/srv/crm.yaml");
  const std::string rewritten = replace_block(table, "crm", changed);
  EXPECT_EQ(parse_crontab(rewritten).foreign_text(), foreign);
  std::string with_cr = rewritten;
  with_cr.insert(with_cr.find('\n', foreign.size() + 1), "\r");
  const ParsedCrontab crlf = parse_crontab(with_cr);
  ASSERT_NE(crlf.find_block("crm"), nullptr);
  EXPECT_TRUE(crlf.find_block("crm")->separator_before);
  EXPECT_EQ(replace_block(crlf, "crm", std::nullopt), foreign);
}

TEST(CrontabTextTest, StaleMarkIsIgnoredAndDroppedOnRewrite) {
  // The foreign last line omnicron ended was edited by hand: the newline is
  // now the foreign line's, and the mark no longer counts.
  const std::string block = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  const std::string text = replace_block(parse_crontab("0 1 * * * /bin/x"), "crm", block);
  std::string edited = text;
  edited.replace(0, std::string("0 1 * * * /bin/x").size(), "0 3 * * * /bin/z");
  const ParsedCrontab table = parse_crontab(edited);
  const ParsedBlock* b = table.find_block("crm");
  ASSERT_NE(b, nullptr);
  EXPECT_FALSE(b->separator_before);
  EXPECT_EQ(table.foreign_text(), "0 3 * * * /bin/z\n");
  EXPECT_EQ(replace_block(table, "crm", std::nullopt), "0 3 * * * /bin/z\n");
  // Rewritten, the block loses the stale mark and, with no separator left,
  // gets its final newline back.
  const std::string rewritten = replace_block(table, "crm", block);
  EXPECT_EQ(rewritten, "0 3 * * * /bin/z\n" + block);
}

TEST(CrontabTextTest, ReadsTablesWrittenWithoutTheMark) {
  // What the previous version wrote: the separator before the first of the
  // trailing blocks, no mark, and no final newline after the last block.
  const std::string foreign = "# top\n0 1 * * * /bin/x";
  const std::string crm = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  const std::string web = block_of("web", {{"w", {"@daily /bin/w"}}});
  const std::string old = foreign + "\n" + crm + web.substr(0, web.size() - 1);
  const ParsedCrontab table = parse_crontab(old);
  EXPECT_EQ(table.text(), old);
  EXPECT_EQ(table.foreign_text(), foreign);
  EXPECT_TRUE(table.problems.empty());
  ASSERT_EQ(table.blocks().size(), 2u);
  EXPECT_TRUE(table.find_block("crm")->separator_before);
  EXPECT_FALSE(table.find_block("crm")->separator_digest.has_value());
  EXPECT_EQ(unframed(*table.find_block("crm")), crm);
  EXPECT_EQ(unframed(*table.find_block("web")), web);
  EXPECT_FALSE(table.find_block("crm")->edited_by_hand());
  EXPECT_FALSE(table.find_block("web")->edited_by_hand());

  // Removing the blocks gives the foreign text back, in either order.
  EXPECT_EQ(replace_block(parse_crontab(replace_block(table, "crm", std::nullopt)), "web",
                        std::nullopt),
            foreign);
  EXPECT_EQ(replace_block(parse_crontab(replace_block(table, "web", std::nullopt)), "crm",
                        std::nullopt),
            foreign);

  // Writing another block leaves the separator's block as it was; writing
  // the separator's block marks it, and the table reads the same apart from
  // that.
  const std::string web2 = block_of("web", {{"w", {"@hourly /bin/w"}}});
  EXPECT_EQ(replace_block(table, "web", web2),
            foreign + "\n" + crm + web2.substr(0, web2.size() - 1));
  const std::string crm2 = block_of("crm", {{"a", {"@daily /bin/a"}}});
  const std::string written = replace_block(table, "crm", crm2);
  ASSERT_NE(written.find(kMark), std::string::npos);
  EXPECT_EQ(without_mark(written),
            foreign + "\n" + crm2 + web.substr(0, web.size() - 1));
  EXPECT_LT(written.find(kMark), written.find('\n', foreign.size() + 1));
  const ParsedCrontab marked = parse_crontab(written);
  EXPECT_EQ(marked.foreign_text(), foreign);
  EXPECT_TRUE(marked.find_block("crm")->separator_before);
  EXPECT_TRUE(marked.find_block("crm")->separator_digest.has_value());
  EXPECT_EQ(unframed(*marked.find_block("crm")), crm2);
}

TEST(CrontabTextTest, SeparatorPassesUnmarkedToTheNextBlock) {
  // Removing the marked block leaves the block after it byte for byte; it
  // takes the newline over in the old, unmarked form, which still reads back.
  const std::string foreign = "0 1 * * * /bin/x";
  const std::string crm = block_of("crm", {{"a", {"@hourly /bin/a"}}});
  const std::string web = block_of("web", {{"w", {"@daily /bin/w"}}});
  std::string text = replace_block(parse_crontab(foreign), "crm", crm);
  text = replace_block(parse_crontab(text), "web", web);
  text = replace_block(parse_crontab(text), "crm", std::nullopt);
  EXPECT_EQ(text, foreign + "\n" + web.substr(0, web.size() - 1));
  const ParsedCrontab table = parse_crontab(text);
  EXPECT_TRUE(table.find_block("web")->separator_before);
  EXPECT_EQ(table.foreign_text(), foreign);
  EXPECT_EQ(replace_block(table, "web", std::nullopt), foreign);
  // The next write of the block marks it.
  const std::string web2 = block_of("web", {{"w", {"@hourly /bin/w"}}});
  const std::string written = replace_block(table, "web", web2);
  EXPECT_NE(written.find(kMark), std::string::npos);
  EXPECT_EQ(without_mark(written), foreign + "\n" + web2.substr(0, web2.size() - 1));
  EXPECT_EQ(replace_block(parse_crontab(written), "web", std::nullopt), foreign);
}

}  // namespace
}  // namespace omnicron::posix
