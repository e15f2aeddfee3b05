// The peer of the sync benchmark's load figure: yaml-cpp's own
// YAML::LoadFile of a manifest, and nothing else. The issue sets omnicron's
// target against this load ("everything besides yaml-cpp's load"); omnicron
// itself reads the parser's events into its own tree (manifest/yaml_stream.h).
#include <cstdio>

#include <yaml-cpp/yaml.h>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fputs("usage: yaml_cpp_load FILE\n", stderr);
    return 2;
  }
  const YAML::Node root = YAML::LoadFile(argv[1]);
  std::printf("%zu jobs\n", root["jobs"].size());
  return 0;
}
