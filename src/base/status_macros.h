// Small helpers for absl::Status plumbing. Abseil 20220623 (Debian 12) ships no status macros, so
// the project defines the two it needs here, once.
//
//   absl::StatusOr<Config> Load(absl::string_view path) {
//     SM_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
//     SM_RETURN_IF_ERROR(Validate(text));
//     return Parse(text);
//   }
#ifndef SERIALMATCH_SRC_BASE_STATUS_MACROS_H_
#define SERIALMATCH_SRC_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status) and returns it from the current function if it is not OK.
#define SM_RETURN_IF_ERROR(expr)             \
  do {                                       \
    ::absl::Status sm_status_ = (expr);      \
    if (!sm_status_.ok()) return sm_status_; \
  } while (0)

#define SM_STATUS_CONCAT_INNER_(a, b) a##b
#define SM_STATUS_CONCAT_(a, b) SM_STATUS_CONCAT_INNER_(a, b)

// Evaluates `rexpr` (an absl::StatusOr<T>); returns its status if not OK, else moves the value into
// `lhs`, which may be a declaration (`SM_ASSIGN_OR_RETURN(auto x, F())`) or an existing variable.
#define SM_ASSIGN_OR_RETURN(lhs, rexpr) \
  SM_ASSIGN_OR_RETURN_IMPL_(SM_STATUS_CONCAT_(sm_statusor_, __LINE__), lhs, rexpr)

#define SM_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr)    \
  auto statusor = (rexpr);                                 \
  if (!statusor.ok()) return std::move(statusor).status(); \
  lhs = std::move(statusor).value()

#endif  // SERIALMATCH_SRC_BASE_STATUS_MACROS_H_
