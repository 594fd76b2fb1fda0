# Helpers shared by every src/ folder: one library target per folder, aliased serialmatch::<name>,
# with the project's warnings; unit tests beside the code, registered with CTest.

set(SERIALMATCH_SANITIZE "" CACHE STRING
    "Comma-separated sanitizers for every target, e.g. 'address,undefined' (empty: none)")

function(serialmatch_apply_options target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wimplicit-fallthrough)
  if(SERIALMATCH_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=${SERIALMATCH_SANITIZE}
                                             -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} PRIVATE -fsanitize=${SERIALMATCH_SANITIZE})
  endif()
endfunction()

# serialmatch_library(<name> SRCS <files...> DEPS <targets...>)
# Defines serialmatch_<name> with alias serialmatch::<name>; headers are included as "src/<dir>/x.h".
function(serialmatch_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(serialmatch_${name} STATIC ${ARG_SRCS})
  add_library(serialmatch::${name} ALIAS serialmatch_${name})
  target_include_directories(serialmatch_${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(serialmatch_${name} PUBLIC ${ARG_DEPS})
  serialmatch_apply_options(serialmatch_${name})
endfunction()

# serialmatch_test(<name> SRCS <files...> DEPS <targets...> [TIMEOUT <seconds>])
# TIMEOUT: how long each test case may run before ctest stops it and fails it, for tests that would
# hang rather than fail when the binary misbehaves (signals, pipes, endpoints); else ctest's
# default (--timeout, or 1500 s).
function(serialmatch_test name)
  if(NOT SERIALMATCH_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SRCS;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gmock GTest::gtest GTest::gtest_main)
  serialmatch_apply_options(${name})
  set(properties)
  if(ARG_TIMEOUT)
    set(properties PROPERTIES TIMEOUT ${ARG_TIMEOUT})
  endif()
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 ${properties})
endfunction()
