/* Private helpers of the reduction framework. */
#ifndef XT_REDUCTION_INTERNAL_H
#define XT_REDUCTION_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "xtrain/reduction.h"

/* Reads a whole file ("-" is standard input) into a malloc'd buffer with
 * a NUL byte appended. */
int xt_read_whole_file(char **text, size_t *len, const char *path,
                       xt_error_t *err);

/* splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014). */
static inline uint64_t xt_rng_next(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, bound) for bound >= 1 (the modulo bias is below 2^-40
 * for the small bounds used here). */
static inline long xt_rng_below(uint64_t *state, long bound)
{
    return (long)(xt_rng_next(state) % (uint64_t)bound);
}

/* Built-in source problems. */
extern const xt_source_problem xt_source_set_splitting;
extern const xt_source_problem xt_source_3sat;
extern const xt_source_problem xt_source_1in3sat;

/* Built-in reductions. */
extern const xt_reduction xt_reduction_blum_rivest;
extern const xt_reduction xt_reduction_blum_rivest_broken;
/* Reductions over the reals. */
extern const xt_real_reduction xt_reduction_etr_ami;

#endif
