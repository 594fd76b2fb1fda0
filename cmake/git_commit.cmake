# serialmatch_git_commit(<var> <source_dir>): sets <var> to `git describe --always --dirty
# --abbrev=12` of <source_dir> ("1a2b3c4d5e6f", "1a2b3c4d5e6f-dirty", or a tag's description), or
# to "unknown" when git is missing or <source_dir> is not a git checkout (a release tarball).
# Also sets <var>_DEPENDS to the files that change when a commit is made or checked out there (its
# HEAD and the branch's ref), for CMAKE_CONFIGURE_DEPENDS.
function(serialmatch_git_commit var source_dir)
  set(commit "unknown")
  set(depends)
  find_program(SERIALMATCH_GIT git)
  if(SERIALMATCH_GIT)
    execute_process(COMMAND ${SERIALMATCH_GIT} -C ${source_dir} rev-parse --show-toplevel
                    OUTPUT_VARIABLE toplevel OUTPUT_STRIP_TRAILING_WHITESPACE
                    RESULT_VARIABLE toplevel_result ERROR_QUIET)
    # Only the checkout of this very tree: not one of a directory above it.
    get_filename_component(source_real ${source_dir} REALPATH)
    if(toplevel_result EQUAL 0)
      get_filename_component(toplevel_real ${toplevel} REALPATH)
    endif()
    if(toplevel_result EQUAL 0 AND toplevel_real STREQUAL source_real)
      execute_process(COMMAND ${SERIALMATCH_GIT} -C ${source_dir} describe --always --dirty
                              --abbrev=12
                      OUTPUT_VARIABLE described OUTPUT_STRIP_TRAILING_WHITESPACE
                      RESULT_VARIABLE described_result ERROR_QUIET)
      if(described_result EQUAL 0 AND NOT described STREQUAL "")
        set(commit "${described}")
      endif()
      execute_process(COMMAND ${SERIALMATCH_GIT} -C ${source_dir} symbolic-ref -q HEAD
                      OUTPUT_VARIABLE branch OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
      foreach(path HEAD ${branch})
        execute_process(COMMAND ${SERIALMATCH_GIT} -C ${source_dir} rev-parse
                                --path-format=absolute --git-path ${path}
                        OUTPUT_VARIABLE file OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
        if(EXISTS "${file}")
          list(APPEND depends "${file}")
        endif()
      endforeach()
    endif()
  endif()
  set(${var} "${commit}" PARENT_SCOPE)
  set(${var}_DEPENDS "${depends}" PARENT_SCOPE)
endfunction()
