target_sources(omnicron_unit_tests PRIVATE
  unit/manifest/duration_test.cc
  unit/manifest/emit_test.cc
  unit/manifest/load_test.cc
  unit/manifest/suggest_test.cc
  unit/manifest/yaml_text_test.cc
)
