# BACKBEAT_SANITIZE: everything (libraries, binary, tests) under
# AddressSanitizer + UndefinedBehaviorSanitizer, with clang. Any report is
# fatal (-fno-sanitize-recover=all), so a test that provokes one fails.
# BACKBEAT_FUZZ additionally puts libFuzzer's coverage instrumentation into
# our code and builds the targets in tests/fuzz/.
#
# The compiler is chosen before project() (top-level CMakeLists.txt); this
# file runs after it and only adds flags.

# Puts BACKBEAT_SANITIZER_ENV into the environment of every test defined
# so far in the calling directory (a no-op in a normal build).
function(bb_sanitizer_env)
  if(NOT BACKBEAT_SANITIZE)
    return()
  endif()
  get_property(tests DIRECTORY PROPERTY TESTS)
  foreach(t IN LISTS tests)
    set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT ${BACKBEAT_SANITIZER_ENV})
  endforeach()
endfunction()

if(NOT BACKBEAT_SANITIZE AND NOT BACKBEAT_FUZZ)
  return()
endif()
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "BACKBEAT_SANITIZE/BACKBEAT_FUZZ need clang (libFuzzer, one sanitizer "
                      "runtime for both); configure a fresh build dir, or pass -DCMAKE_CXX_COMPILER=clang++")
endif()
if(BACKBEAT_FUZZ AND NOT BACKBEAT_SANITIZE)
  message(FATAL_ERROR "BACKBEAT_FUZZ needs BACKBEAT_SANITIZE: a fuzzer without sanitizers only finds crashes")
endif()

set(BACKBEAT_SANITIZER_FLAGS -fsanitize=address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
add_compile_options(${BACKBEAT_SANITIZER_FLAGS})
# Line tables are all a report's stack trace needs; full debug info and -O2
# roughly double the compile time of this build, which CI pays cold. -O1 is
# what ASan is designed for.
add_compile_options(-O1 -gline-tables-only)
add_link_options(-fsanitize=address,undefined)

if(BACKBEAT_FUZZ)
  # Coverage counters and comparison hooks in every object; without
  # libFuzzer linked in, the sanitizer runtime's no-op hooks answer them.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# How every test runs under the sanitizers (applied by bb_sanitizer_env()
# in tests/): the first report aborts the process (the server's too: it
# inherits the environment, and the integration fixture scans its output),
# leaks are reported at exit, and third-party leaks we cannot fix are
# suppressed, each with its reason, in tests/sanitizers/.
set(BACKBEAT_SANITIZER_ENV
    "ASAN_OPTIONS=halt_on_error=1:abort_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1"
    "UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:suppressions=${CMAKE_SOURCE_DIR}/tests/sanitizers/ubsan.supp"
    "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/sanitizers/lsan.supp:print_suppressions=0")
