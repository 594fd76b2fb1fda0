# SERIALMATCH_FUZZ: the libFuzzer build. Included before any target is defined, it instruments
# every target (the libraries above all) for coverage guidance, ASan and UBSan, so the fuzzers in
# tests/fuzz/ are guided by the branches of the code they test. Clang only:
#
#   CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -G Ninja -DSERIALMATCH_FUZZ=ON
#
# Without it, a clang build still links the *_fuzzer executables, but only their own sources are
# instrumented (tests/fuzz/CMakeLists.txt).

option(SERIALMATCH_FUZZ
       "Instrument every target for libFuzzer, ASan and UBSan (clang only; see tests/fuzz/)" OFF)

if(SERIALMATCH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "SERIALMATCH_FUZZ=ON needs clang (CXX=clang++-14), "
                        "not ${CMAKE_CXX_COMPILER_ID}")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=fuzzer-no-link,address,undefined)
endif()
