#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnicron::runner {

// One entry of /sys/class/power_supply: its `type` file ("Mains", "USB",
// "Battery", ...) and its `online` file (absent for batteries).
struct PowerSupply {
  std::string type;
  std::optional<bool> online;
};

// Whether the machine runs on external power. A supply of a non-battery
// type that is online says yes. A machine with no battery at all (a desktop,
// a server, a container that sees no supplies) is on external power by
// definition. Only a machine with a battery and no online external supply
// is on battery.
bool on_ac_power(const std::vector<PowerSupply>& supplies);

// Whether the routing tables have a default route through an interface
// other than loopback: /proc/net/route (IPv4; destination 00000000 with the
// RTF_UP flag) or /proc/net/ipv6_route (destination :: with prefix length
// 0, not through "lo", which holds the kernel's unreachable default).
bool has_default_route(std::string_view proc_net_route, std::string_view proc_net_ipv6_route);

// The idle decision from the idle times of every logged-in session: idle
// when no session has seen input for at least NEEDED (and when nobody is
// logged in at all).
bool is_idle(const std::vector<std::chrono::seconds>& session_idle, std::chrono::seconds needed);

}  // namespace omnicron::runner
