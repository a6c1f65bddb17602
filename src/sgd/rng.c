/* The one random generator of the SGD core: xoshiro256** seeded through
 * splitmix64, both from Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", ACM TOMS 47(4), 2021. */
#include <math.h>
#include "xtrain/sgd.h"

/* One splitmix64 step: advances *state and returns the mixed output. */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void xt_rng_seed(xt_rng_t *rng, uint64_t seed)
{
    uint64_t state = seed;
    for (int i = 0; i < 4; i++)
        rng->s[i] = splitmix64(&state);
    /* splitmix64 is a bijection of its counter, so four consecutive
     * outputs are never all zero; keep the guard for clarity anyway. */
    if (!(rng->s[0] | rng->s[1] | rng->s[2] | rng->s[3]))
        rng->s[0] = 1;
}

uint64_t xt_rng_next(xt_rng_t *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;

    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double xt_rng_uniform(xt_rng_t *rng)
{
    return (double)(xt_rng_next(rng) >> 11) * 0x1.0p-53;
}

double xt_rng_normal(xt_rng_t *rng)
{
    /* Marsaglia and Bray's polar method.  Only the first deviate of each
     * accepted pair is used, so the generator keeps no hidden state. */
    for (;;) {
        double u = 2.0 * xt_rng_uniform(rng) - 1.0;
        double v = 2.0 * xt_rng_uniform(rng) - 1.0;
        double s = u * u + v * v;
        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * log(s) / s);
    }
}

uint64_t xt_rng_below(xt_rng_t *rng, uint64_t bound)
{
    /* Rejects the top partial copy of [0, bound) in [0, 2^64). */
    uint64_t limit = -bound % bound;  /* 2^64 mod bound */
    for (;;) {
        uint64_t r = xt_rng_next(rng);
        if (r >= limit)
            return r % bound;
    }
}

uint64_t xt_sgd_restart_seed(uint64_t seed, long r)
{
    /* The (r+1)-th output of splitmix64 from seed: its counter after r+1
     * steps is seed + (r+1) * golden, so one step from there suffices. */
    uint64_t state = seed + (uint64_t)r * 0x9E3779B97F4A7C15ull;
    return splitmix64(&state);
}
