#include "runner/conditions.h"

#include <cstdlib>
#include <sstream>

namespace omnicron::runner {

bool on_ac_power(const std::vector<PowerSupply>& supplies) {
  bool battery = false;
  for (const auto& supply : supplies) {
    if (supply.type == "Battery") {
      battery = true;
    } else if (supply.online.value_or(false)) {
      return true;
    }
  }
  return !battery;
}

namespace {

bool ipv4_default(std::string_view table) {
  std::istringstream in{std::string(table)};
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string iface, destination, gateway;
    unsigned flags = 0;
    if (!(fields >> iface >> destination >> gateway >> std::hex >> flags)) continue;
    if (destination == "00000000" && (flags & 0x1) != 0 && iface != "lo") return true;
  }
  return false;
}

bool ipv6_default(std::string_view table) {
  std::istringstream in{std::string(table)};
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    // destination, prefix length, source, source prefix length, next hop,
    // metric, reference count, use count, flags, interface.
    std::string dest, dest_len, src, src_len, hop, metric, refs, use, flags, iface;
    if (!(fields >> dest >> dest_len >> src >> src_len >> hop >> metric >> refs >> use >>
          flags >> iface)) {
      continue;
    }
    // RTF_UP is 0x1; RTF_REJECT (0x200) marks the kernel's unreachable route.
    const unsigned long f = std::strtoul(flags.c_str(), nullptr, 16);
    if (dest == std::string(32, '0') && dest_len == "00" && iface != "lo" && (f & 0x1) != 0 &&
        (f & 0x200) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool has_default_route(std::string_view proc_net_route, std::string_view proc_net_ipv6_route) {
  return ipv4_default(proc_net_route) || ipv6_default(proc_net_ipv6_route);
}

bool is_idle(const std::vector<std::chrono::seconds>& session_idle, std::chrono::seconds needed) {
  for (const auto idle : session_idle) {
    if (idle < needed) return false;
  }
  return true;
}

}  // namespace omnicron::runner
