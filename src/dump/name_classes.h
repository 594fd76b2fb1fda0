// Byte classes of a dump's name list, 64 bytes at a time, for DumpRecord::PlainNames: which bytes
// separate names, which are dots, and which cannot be part of a name already in normal form.
//
//   const BlockClasses classes = ClassifyBlock(p);  // reads p[0, 64)
//   if (classes.bad == 0) ... every byte is a separator or one of [a-z0-9-_.]
//
// ClassifyBlock uses AVX2 where the processor has it (two 32-byte table lookups), SSE2 otherwise;
// both give the same bits.
#ifndef SERIALMATCH_SRC_DUMP_NAME_CLASSES_H_
#define SERIALMATCH_SRC_DUMP_NAME_CLASSES_H_

#include <cstdint>

namespace serialmatch::dump {

// One bit a byte, bit i for p[i]: a separator (' ', ',', ';', '\t', '\n', '\r'), a '.', or neither
// a separator nor one of [a-z0-9-_.] ("bad": the name holding it is not certainly normal).
struct BlockClasses {
  uint64_t separator = 0, dot = 0, bad = 0;
};

using ClassifyBlockFn = BlockClasses (*)(const char* p);

// The classes of p[0, 64), with the best implementation this processor runs.
inline BlockClasses ClassifyBlock(const char* p);

namespace name_classes_internal {

// Every implementation, for tests that compare them; null where this build or processor has none.
BlockClasses ClassifyBlockPortable(const char* p);
extern const ClassifyBlockFn kClassifyBlockSse2;
extern const ClassifyBlockFn kClassifyBlockAvx2;
// The one ClassifyBlock calls.
extern const ClassifyBlockFn kClassifyBlock;

}  // namespace name_classes_internal

inline BlockClasses ClassifyBlock(const char* p) {
  return name_classes_internal::kClassifyBlock(p);
}

}  // namespace serialmatch::dump

#endif  // SERIALMATCH_SRC_DUMP_NAME_CLASSES_H_
