#include "tasksched/task_xml_reader.h"

#include <array>
#include <charconv>
#include <map>
#include <memory>

#include <date/date.h>
#include <expat.h>
#include <fmt/format.h>

#include "error.h"

namespace omnicron::tasksched {

namespace {

constexpr std::string_view kTaskNamespace = "http://schemas.microsoft.com/windows/2004/02/mit/task";
// Expat joins a namespace URI and a local name with this character.
constexpr char kNamespaceSeparator = '|';

// ---- A small element tree ---------------------------------------------------

// The file as a tree, so that elements can be looked up in any order. Every
// node records whether the interpretation below read it; what nobody read is
// reported as unknown.
struct Node {
  // The local name for elements in the Task Scheduler namespace or in none;
  // "{uri}name" for any other namespace, so it matches nothing known.
  std::string name;
  int line = 0;
  std::string path;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string text;
  std::vector<std::unique_ptr<Node>> children;
  bool used = false;

  std::string attribute(std::string_view key) const {
    for (const auto& [k, v] : attributes)
      if (k == key) return v;
    return {};
  }
};

// Expat's callbacks build the tree here; the parser is kept to ask it for
// the line of each element.
struct Builder {
  XML_Parser parser = nullptr;
  std::unique_ptr<Node> root;
  std::vector<Node*> stack;
};

std::string local_name(const char* expat_name) {
  const std::string_view name(expat_name);
  const auto separator = name.find(kNamespaceSeparator);
  if (separator == std::string_view::npos) return std::string(name);
  const std::string_view uri = name.substr(0, separator);
  const std::string_view local = name.substr(separator + 1);
  if (uri == kTaskNamespace) return std::string(local);
  return fmt::format("{{{}}}{}", uri, local);
}

void XMLCALL on_start(void* data, const XML_Char* name, const XML_Char** attributes) {
  auto& b = *static_cast<Builder*>(data);
  auto node = std::make_unique<Node>();
  node->name = local_name(name);
  node->line = static_cast<int>(XML_GetCurrentLineNumber(b.parser));
  for (const XML_Char** a = attributes; a[0] != nullptr; a += 2)
    node->attributes.emplace_back(local_name(a[0]), a[1]);
  Node* raw = node.get();
  if (b.stack.empty()) {
    b.root = std::move(node);
  } else {
    b.stack.back()->children.push_back(std::move(node));
  }
  b.stack.push_back(raw);
}

void XMLCALL on_end(void* data, const XML_Char*) { static_cast<Builder*>(data)->stack.pop_back(); }

void XMLCALL on_text(void* data, const XML_Char* text, int length) {
  auto& b = *static_cast<Builder*>(data);
  if (!b.stack.empty()) b.stack.back()->text.append(text, static_cast<std::size_t>(length));
}

// Gives each node its path, with an index where the parent holds several
// elements of that name.
void assign_paths(Node& node, const std::string& path) {
  node.path = path;
  std::map<std::string, int> count;
  for (const auto& child : node.children) ++count[child->name];
  std::map<std::string, int> seen;
  for (auto& child : node.children) {
    std::string p = path + "/" + child->name;
    if (count[child->name] > 1) p += fmt::format("[{}]", ++seen[child->name]);
    assign_paths(*child, p);
  }
}

// The encoding by the bytes (see the header), and how many bytes of byte
// order mark to skip.
std::pair<const char*, std::size_t> sniff_encoding(std::string_view bytes) {
  auto starts = [&bytes](std::string_view prefix) { return bytes.substr(0, prefix.size()) == prefix; };
  if (starts("\xFF\xFE")) return {"UTF-16LE", 2};
  if (starts("\xFE\xFF")) return {"UTF-16BE", 2};
  if (starts("\xEF\xBB\xBF")) return {"UTF-8", 3};
  if (starts(std::string_view("<\0", 2))) return {"UTF-16LE", 0};
  if (starts(std::string_view("\0<", 2))) return {"UTF-16BE", 0};
  return {"UTF-8", 0};
}

std::string stack_path(const std::vector<Node*>& stack) {
  std::string out;
  for (const Node* n : stack) out += (out.empty() ? "" : "/") + n->name;
  return out;
}

std::unique_ptr<Node> parse_tree(std::string_view bytes, const std::string& file) {
  const auto [encoding, bom] = sniff_encoding(bytes);
  bytes.remove_prefix(bom);
  Builder p;
  // An encoding given here overrides the document's declaration, which real
  // exports get wrong ("UTF-16" on a UTF-8 file).
  p.parser = XML_ParserCreateNS(encoding, kNamespaceSeparator);
  if (p.parser == nullptr) throw Error(ErrorKind::internal, "cannot create an XML parser");
  const std::unique_ptr<std::remove_pointer_t<XML_Parser>, void (*)(XML_Parser)> owner(
      p.parser, XML_ParserFree);
  XML_SetUserData(p.parser, &p);
  XML_SetElementHandler(p.parser, on_start, on_end);
  XML_SetCharacterDataHandler(p.parser, on_text);
  const bool ok = bytes.size() <= static_cast<std::size_t>(INT32_MAX) &&
                  XML_Parse(p.parser, bytes.data(), static_cast<int>(bytes.size()), 1) ==
                      XML_STATUS_OK;
  if (!ok) {
    const int line = static_cast<int>(XML_GetCurrentLineNumber(p.parser));
    const int column = static_cast<int>(XML_GetCurrentColumnNumber(p.parser)) + 1;
    const std::string where = stack_path(p.stack);
    Error e(ErrorKind::validation,
            fmt::format("not well-formed task XML ({}): {}{}", encoding,
                        XML_ErrorString(XML_GetErrorCode(p.parser)),
                        where.empty() ? "" : fmt::format(" (in {})", where)));
    e.at(SourceLocation{file, line, column});
    throw e;
  }
  if (!p.root) throw Error(ErrorKind::validation, "the file holds no XML element");
  assign_paths(*p.root, p.root->name);
  return std::move(p.root);
}

// ---- Reading values -----------------------------------------------------------

std::string trim(std::string_view text) {
  constexpr std::string_view kBlank = " \t\r\n";
  const auto first = text.find_first_not_of(kBlank);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kBlank);
  return std::string(text.substr(first, last - first + 1));
}

Node* child(Node& node, std::string_view name) {
  for (auto& c : node.children) {
    if (c->name == name) {
      c->used = true;
      return c.get();
    }
  }
  return nullptr;
}

std::vector<Node*> children(Node& node) {
  std::vector<Node*> out;
  for (auto& c : node.children) out.push_back(c.get());
  return out;
}

void use_all(Node& node) {
  node.used = true;
  for (auto& c : node.children) use_all(*c);
}

std::optional<std::string> text_of(Node& node, std::string_view name) {
  if (Node* c = child(node, name)) return trim(c->text);
  return std::nullopt;
}

std::optional<int> parse_int(std::string_view text) {
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<bool> parse_bool(std::string_view text) {
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return std::nullopt;
}

// A StartBoundary: "2000-01-01T09:00:00", optionally with a fraction of a
// second and a zone designator ("Z", "+02:00").
struct Boundary {
  LocalDateTime local;
  std::optional<std::string> offset;
  bool fraction = false;
};

std::optional<Boundary> parse_boundary(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS is 19 characters.
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':')
    return std::nullopt;
  auto number = [&text](std::size_t at, std::size_t length) { return parse_int(text.substr(at, length)); };
  const auto y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2),
             mi = number(14, 2), s = number(17, 2);
  if (!y || !mo || !d || !h || !mi || !s) return std::nullopt;
  Boundary b;
  b.local = {*y, *mo, *d, *h, *mi, *s};
  if (*mo < 1 || *mo > 12 || *h > 23 || *mi > 59 || *s > 59 ||
      !date::year_month_day{date::year{*y} / date::month{static_cast<unsigned>(*mo)} /
                            date::day{static_cast<unsigned>(*d)}}
           .ok())
    return std::nullopt;
  std::string_view rest = text.substr(19);
  if (!rest.empty() && rest.front() == '.') {
    std::size_t digits = 1;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
    if (digits == 1) return std::nullopt;
    b.fraction = rest.substr(1, digits - 1).find_first_not_of('0') != std::string_view::npos;
    rest.remove_prefix(digits);
  }
  if (rest.empty()) return b;
  if (rest == "Z") {
    b.offset = "Z";
    return b;
  }
  if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':' &&
      parse_int(rest.substr(1, 2)) && parse_int(rest.substr(4, 2))) {
    b.offset = std::string(rest);
    return b;
  }
  return std::nullopt;
}

constexpr std::array<std::pair<std::string_view, int>, 7> kWeekdayBits = {{
    {"Sunday", 0}, {"Monday", 1}, {"Tuesday", 2}, {"Wednesday", 3},
    {"Thursday", 4}, {"Friday", 5}, {"Saturday", 6},
}};

constexpr std::array<std::string_view, 12> kMonthNames = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December",
};

constexpr std::uint16_t kAllMonths = 0x1FFE;

// Reads a trigger of a modelled kind; throws a plain message for
// ReadTrigger::problem.
struct TriggerProblem {
  std::string message;
};

std::chrono::seconds duration_value(Node& parent, std::string_view name,
                                    std::optional<std::chrono::seconds>& into) {
  if (auto text = text_of(parent, name)) {
    into = parse_iso_duration(*text);
    if (!into) throw TriggerProblem{fmt::format("{} '{}' is not a duration", name, *text)};
  }
  return into.value_or(std::chrono::seconds{0});
}

std::uint8_t days_of_week(Node& parent) {
  std::uint8_t mask = 0;
  Node* days = child(parent, "DaysOfWeek");
  if (days == nullptr) throw TriggerProblem{"it has no DaysOfWeek"};
  for (Node* d : children(*days)) {
    for (const auto& [name, bit] : kWeekdayBits) {
      if (d->name == name) {
        d->used = true;
        mask = static_cast<std::uint8_t>(mask | (1U << bit));
      }
    }
  }
  if (mask == 0) throw TriggerProblem{"its DaysOfWeek names no day"};
  return mask;
}

// An absent <Months> means every month.
std::uint16_t months(Node& parent) {
  Node* list = child(parent, "Months");
  if (list == nullptr) return kAllMonths;
  std::uint16_t mask = 0;
  for (Node* m : children(*list)) {
    for (std::size_t i = 0; i < kMonthNames.size(); ++i) {
      if (m->name == kMonthNames[i]) {
        m->used = true;
        mask = static_cast<std::uint16_t>(mask | (1U << (i + 1)));
      }
    }
  }
  if (mask == 0) throw TriggerProblem{"its Months names no month"};
  return mask;
}

CalendarSchedule calendar_schedule(Node& trigger) {
  if (Node* s = child(trigger, "ScheduleByDay")) {
    ScheduleByDay out;
    if (auto text = text_of(*s, "DaysInterval")) {
      const auto n = parse_int(*text);
      if (!n || *n < 1 || *n > 365)
        throw TriggerProblem{fmt::format("DaysInterval '{}' is not 1-365", *text)};
      out.days_interval = *n;
    }
    return out;
  }
  if (Node* s = child(trigger, "ScheduleByWeek")) {
    ScheduleByWeek out;
    if (auto text = text_of(*s, "WeeksInterval")) {
      const auto n = parse_int(*text);
      if (!n || *n < 1 || *n > 52)
        throw TriggerProblem{fmt::format("WeeksInterval '{}' is not 1-52", *text)};
      out.weeks_interval = *n;
    }
    out.days_of_week = days_of_week(*s);
    return out;
  }
  if (Node* s = child(trigger, "ScheduleByMonth")) {
    ScheduleByMonth out;
    Node* days = child(*s, "DaysOfMonth");
    if (days == nullptr) throw TriggerProblem{"its ScheduleByMonth has no DaysOfMonth"};
    for (Node* d : children(*days)) {
      if (d->name != "Day") continue;
      d->used = true;
      const std::string text = trim(d->text);
      if (text == "Last") {
        out.last_day = true;
        continue;
      }
      const auto n = parse_int(text);
      if (!n || *n < 1 || *n > 31) throw TriggerProblem{fmt::format("Day '{}' is not 1-31 or Last", text)};
      out.days_of_month |= 1U << *n;
    }
    if (out.days_of_month == 0 && !out.last_day) throw TriggerProblem{"its DaysOfMonth names no day"};
    out.months = months(*s);
    return out;
  }
  if (Node* s = child(trigger, "ScheduleByMonthDayOfWeek")) {
    ScheduleByMonthDayOfWeek out;
    if (Node* weeks = child(*s, "Weeks")) {
      for (Node* w : children(*weeks)) {
        if (w->name != "Week") continue;
        w->used = true;
        const std::string text = trim(w->text);
        if (text == "Last") {
          out.last_week = true;
          continue;
        }
        const auto n = parse_int(text);
        if (!n || *n < 1 || *n > 4) throw TriggerProblem{fmt::format("Week '{}' is not 1-4 or Last", text)};
        out.weeks = static_cast<std::uint8_t>(out.weeks | (1U << *n));
      }
    } else {
      out.weeks = 0x1E;
      out.last_week = true;
    }
    if (out.weeks == 0 && !out.last_week) throw TriggerProblem{"its Weeks names no week"};
    out.days_of_week = days_of_week(*s);
    out.months = months(*s);
    return out;
  }
  throw TriggerProblem{"it has no ScheduleByDay, ScheduleByWeek, ScheduleByMonth or "
                       "ScheduleByMonthDayOfWeek"};
}

std::string shortened(std::string text, std::size_t limit = 80) {
  for (char& c : text)
    if (c == '\r' || c == '\n' || c == '\t') c = ' ';
  std::string out;
  for (char c : text)
    if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
  if (out.size() > limit) {
    out.resize(limit);
    // Do not cut a UTF-8 sequence in half.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
    out += "…";
  }
  return out;
}

ReadTrigger read_trigger(Node& node) {
  ReadTrigger t;
  t.place = {node.line, node.path};
  t.kind = node.name;
  if (auto id = node.attribute("id"); !id.empty()) t.id = id;
  node.used = true;
  const bool modelled = t.kind == "CalendarTrigger" || t.kind == "TimeTrigger" ||
                        t.kind == "BootTrigger" || t.kind == "LogonTrigger";
  if (!modelled) {
    // Not carried over, so not read further: only what it waits for.
    use_all(node);
    if (Node* c = child(node, "StateChange")) t.detail = "StateChange " + trim(c->text);
    else if (Node* s = child(node, "Subscription")) t.detail = "Subscription " + shortened(trim(s->text));
    else if (Node* n = child(node, "StateName")) t.detail = "StateName " + trim(n->text);
    if (auto enabled = text_of(node, "Enabled")) t.enabled = parse_bool(*enabled).value_or(true);
    return t;
  }
  try {
    if (auto text = text_of(node, "Enabled")) {
      const auto b = parse_bool(*text);
      if (!b) throw TriggerProblem{fmt::format("Enabled '{}' is not true or false", *text)};
      t.enabled = *b;
    }
    std::optional<Boundary> start;
    if (auto text = text_of(node, "StartBoundary")) {
      start = parse_boundary(*text);
      if (!start) throw TriggerProblem{fmt::format("StartBoundary '{}' is not a date and time", *text)};
      t.start_offset = start->offset;
      t.start_fraction = start->fraction;
    }
    t.end_boundary = text_of(node, "EndBoundary");
    duration_value(node, "ExecutionTimeLimit", t.execution_time_limit);
    duration_value(node, "RandomDelay", t.random_delay);
    duration_value(node, "Delay", t.delay);
    t.user_id = text_of(node, "UserId");
    std::optional<Repetition> repetition;
    if (Node* r = child(node, "Repetition")) {
      std::optional<std::chrono::seconds> interval;
      std::optional<std::chrono::seconds> duration;
      duration_value(*r, "Interval", interval);
      duration_value(*r, "Duration", duration);
      if (auto stop = text_of(*r, "StopAtDurationEnd")) t.stop_at_duration_end = parse_bool(*stop).value_or(false);
      if (!interval) throw TriggerProblem{"its Repetition has no Interval"};
      // An interval of zero is how some exports say "no repetition".
      if (interval->count() != 0) repetition = Repetition{*interval, duration};
    }
    if (t.kind == "CalendarTrigger" || t.kind == "TimeTrigger") {
      if (!start) throw TriggerProblem{"it has no StartBoundary"};
      if (t.kind == "CalendarTrigger") {
        t.trigger = CalendarTrigger{start->local, calendar_schedule(node), repetition};
      } else {
        t.trigger = TimeTrigger{start->local, repetition};
      }
    } else if (t.kind == "BootTrigger") {
      t.trigger = BootTrigger{};
    } else {
      t.trigger = LogonTrigger{};
    }
    if (repetition && (t.kind == "BootTrigger" || t.kind == "LogonTrigger"))
      throw TriggerProblem{fmt::format("it repeats every {} after the {}",
                                       to_iso_duration(repetition->interval),
                                       t.kind == "BootTrigger" ? "boot" : "logon")};
  } catch (const TriggerProblem& p) {
    t.trigger.reset();
    t.problem = p.message;
  }
  return t;
}

ReadAction read_action(Node& node) {
  ReadAction a;
  a.place = {node.line, node.path};
  a.kind = node.name;
  node.used = true;
  if (a.kind == "Exec") {
    ExecAction exec;
    exec.command = text_of(node, "Command").value_or("");
    exec.arguments = text_of(node, "Arguments").value_or("");
    exec.working_directory = text_of(node, "WorkingDirectory");
    if (exec.working_directory && exec.working_directory->empty()) exec.working_directory.reset();
    a.exec = std::move(exec);
    return a;
  }
  use_all(node);
  if (auto id = text_of(node, "ClassId")) a.detail = "ClassId " + *id;
  else if (auto subject = text_of(node, "Subject")) a.detail = "Subject " + shortened(*subject);
  else if (auto title = text_of(node, "Title")) a.detail = "Title " + shortened(*title);
  return a;
}

void collect_settings(Node& node, const std::string& prefix, std::vector<ReadSetting>& out) {
  node.used = true;
  for (Node* c : children(node)) {
    const std::string name = prefix.empty() ? c->name : prefix + "/" + c->name;
    if (c->children.empty()) {
      c->used = true;
      out.push_back({{c->line, c->path}, name, trim(c->text)});
    } else {
      collect_settings(*c, name, out);
    }
  }
}

const ReadSetting* find_setting(const std::vector<ReadSetting>& settings, std::string_view name) {
  for (const auto& s : settings)
    if (s.name == name) return &s;
  return nullptr;
}

void read_settings(ReadTask& task) {
  // Windows' defaults for what the file leaves out (task.xsd's, which are
  // also what Windows does), not omnicron's.
  TaskSettings& s = task.definition.settings;
  s = TaskSettings{};
  s.multiple_instances = InstancesPolicy::ignore_new;
  s.disallow_start_if_on_batteries = true;
  s.stop_if_going_on_batteries = true;
  s.execution_time_limit = std::chrono::hours(72);
  auto flag = [&task](std::string_view name, bool& into) {
    if (const ReadSetting* r = find_setting(task.settings, name)) {
      if (auto b = parse_bool(r->text)) into = *b;
      else task.bad_values.push_back({r->place, r->name, fmt::format("'{}' is not true or false", r->text)});
    }
  };
  auto duration = [&task](std::string_view name, std::chrono::seconds& into) {
    if (const ReadSetting* r = find_setting(task.settings, name)) {
      if (auto d = parse_iso_duration(r->text)) into = *d;
      else task.bad_values.push_back({r->place, r->name, fmt::format("'{}' is not a duration", r->text)});
    }
  };
  if (const ReadSetting* r = find_setting(task.settings, "MultipleInstancesPolicy")) {
    bool known = false;
    for (InstancesPolicy p : {InstancesPolicy::parallel, InstancesPolicy::queue,
                              InstancesPolicy::ignore_new, InstancesPolicy::stop_existing}) {
      if (to_string(p) == r->text) {
        s.multiple_instances = p;
        known = true;
      }
    }
    if (!known)
      task.bad_values.push_back({r->place, r->name, fmt::format("'{}' is not Parallel, Queue, IgnoreNew or StopExisting", r->text)});
  }
  flag("DisallowStartIfOnBatteries", s.disallow_start_if_on_batteries);
  flag("StopIfGoingOnBatteries", s.stop_if_going_on_batteries);
  flag("StartWhenAvailable", s.start_when_available);
  flag("RunOnlyIfNetworkAvailable", s.run_only_if_network_available);
  flag("Enabled", s.enabled);
  duration("ExecutionTimeLimit", s.execution_time_limit);
  bool idle = false;
  flag("RunOnlyIfIdle", idle);
  if (idle) {
    IdleCondition c;
    duration("IdleSettings/Duration", c.duration);
    duration("IdleSettings/WaitTimeout", c.wait_timeout);
    s.idle = c;
  }
}

bool is_service_sid(std::string_view user) {
  return user == "S-1-5-18" || user == "S-1-5-19" || user == "S-1-5-20";
}

void read_principals(ReadTask& task, Node& principals) {
  principals.used = true;
  for (Node* p : children(principals)) {
    if (p->name != "Principal") continue;
    p->used = true;
    ReadPrincipal r;
    r.place = {p->line, p->path};
    r.id = p->attribute("id");
    for (Node* c : children(*p)) {
      c->used = true;
      const std::string text = trim(c->text);
      if (c->name == "UserId") r.user_id = text;
      else if (c->name == "GroupId") r.group_id = text;
      else if (c->name == "LogonType") r.logon_type = text;
      else if (c->name == "RunLevel") r.run_level = text;
      else {
        use_all(*c);
        r.others.push_back(c->name);
      }
    }
    task.principals.push_back(std::move(r));
  }
}

// The principal the actions run as: the one their Context names, else the
// only one.
const ReadPrincipal* acting_principal(const ReadTask& task) {
  for (const auto& p : task.principals)
    if (task.actions_context && p.id == *task.actions_context) return &p;
  return task.principals.empty() ? nullptr : &task.principals.front();
}

void report_unused(const Node& node, std::vector<ReadElement>& out) {
  for (const auto& c : node.children) {
    if (!c->used) {
      out.push_back({{c->line, c->path}, c->name, shortened(trim(c->text))});
    } else {
      report_unused(*c, out);
    }
  }
}

}  // namespace

std::optional<std::chrono::seconds> parse_iso_duration(std::string_view text) {
  if (text.empty() || text.front() != 'P') return std::nullopt;
  text.remove_prefix(1);
  long long total = 0;
  bool time = false;
  bool any = false;
  // Units must come in order; each at most once.
  std::string_view order = "DHMS";
  while (!text.empty()) {
    if (text.front() == 'T') {
      if (time) return std::nullopt;
      time = true;
      text.remove_prefix(1);
      continue;
    }
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 9 || digits == text.size()) return std::nullopt;
    long long value = 0;
    std::from_chars(text.data(), text.data() + digits, value);
    const char unit = text[digits];
    text.remove_prefix(digits + 1);
    long long scale = 0;
    if (!time && unit == 'D') scale = 86400;
    else if (time && unit == 'H') scale = 3600;
    else if (time && unit == 'M') scale = 60;
    else if (time && unit == 'S') scale = 1;
    else return std::nullopt;  // years, months, weeks, fractions, misplaced units
    const auto at = order.find(unit);
    if (at == std::string_view::npos) return std::nullopt;
    order.remove_prefix(at + 1);
    total += value * scale;
    any = true;
  }
  if (!any) return std::nullopt;
  return std::chrono::seconds{total};
}

ReadTask read_task_xml(std::string_view bytes, const std::string& file_name) {
  std::unique_ptr<Node> root = parse_tree(bytes, file_name);
  if (root->name != "Task") {
    Error e(ErrorKind::validation,
            fmt::format("the root element is <{}>, not <Task>: this is not Task Scheduler task XML",
                        root->name));
    e.at(SourceLocation{file_name, root->line, 0});
    throw e;
  }
  root->used = true;
  ReadTask task;
  task.file = file_name;
  task.version = root->attribute("version");
  TaskDefinition& def = task.definition;

  if (Node* info = child(*root, "RegistrationInfo")) {
    RegistrationInfo& r = def.registration;
    r = RegistrationInfo{};
    r.source.clear();
    for (Node* c : children(*info)) {
      use_all(*c);
      std::string text = trim(c->text);
      if (c->name == "URI") r.uri = std::move(text);
      else if (c->name == "Source") r.source = std::move(text);
      else if (c->name == "Author") r.author = std::move(text);
      else if (c->name == "Version") r.digest = std::move(text);
      else if (c->name == "Description") r.description = std::move(text);
      else task.registration_others.push_back({{c->line, c->path}, c->name, std::move(text)});
    }
  } else {
    def.registration.source.clear();
  }

  if (Node* triggers = child(*root, "Triggers")) {
    for (Node* t : children(*triggers)) {
      ReadTrigger read = read_trigger(*t);
      if (read.trigger) {
        def.triggers.push_back(*read.trigger);
        if (std::holds_alternative<LogonTrigger>(*read.trigger) && !def.logon_user)
          def.logon_user = read.user_id;
      }
      task.triggers.push_back(std::move(read));
    }
  }

  if (Node* settings = child(*root, "Settings")) collect_settings(*settings, "", task.settings);
  read_settings(task);

  if (Node* principals = child(*root, "Principals")) read_principals(task, *principals);

  if (Node* actions = child(*root, "Actions")) {
    if (auto context = actions->attribute("Context"); !context.empty()) task.actions_context = context;
    for (Node* a : children(*actions)) task.actions.push_back(read_action(*a));
  }
  for (const auto& a : task.actions) {
    if (a.exec) {
      def.action = *a.exec;
      break;
    }
  }

  if (const ReadPrincipal* p = acting_principal(task)) {
    Principal& principal = def.principal;
    principal.user_id = p->user_id;
    const std::string logon = p->logon_type.value_or("");
    if (logon == "S4U") principal.logon_type = LogonType::s4u;
    else if (logon == "ServiceAccount" || (logon.empty() && p->user_id && is_service_sid(*p->user_id)))
      principal.logon_type = LogonType::service_account;
    else principal.logon_type = LogonType::interactive_token;
  }

  // <Data> is free-form input for a COM handler: nothing omnicron reads.
  if (Node* data = child(*root, "Data")) {
    use_all(*data);
    task.unknown.push_back({{data->line, data->path}, "Data", shortened(trim(data->text))});
  }
  report_unused(*root, task.unknown);
  return task;
}

}  // namespace omnicron::tasksched
