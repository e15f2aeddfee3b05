target_sources(omnicron_core PRIVATE
  duration.cc
  manifest/manifest.cc
  manifest/emit.cc
  manifest/load.cc
  manifest/suggest.cc
  manifest/yaml_stream.cc
  manifest/yaml_text.cc
)
