/* Private helpers of the arrangement module: bitset utilities, a hash set
 * of bitsets, and list building. */
#ifndef XTRAIN_ARRANGEMENT_IMPL_H
#define XTRAIN_ARRANGEMENT_IMPL_H

#include <stddef.h>
#include <stdint.h>
#include "xtrain/arrangement.h"

/* Words in a bitset of n bits: (n + 63) / 64, at least 1. */
size_t xt_bitset_words(long n);

static inline void xt_bitset_add(uint64_t *set, long i)
{
    set[(size_t)i / 64] |= (uint64_t)1 << ((unsigned)i % 64);
}

static inline int xt_bitset_contains(const uint64_t *set, long i)
{
    return (int)((set[(size_t)i / 64] >> ((unsigned)i % 64)) & 1u);
}

/* A hash set of bitsets of a fixed number of words.  Sets are stored in
 * insertion order in sets[0 .. count*words).  Each entry of slots is 0
 * for an empty slot or 1 + the index of a stored set. */
typedef struct {
    size_t words;
    size_t count;
    size_t capacity;
    uint64_t *sets;
    size_t *slots;
    size_t slot_count;
} xt_bitset_table;

void xt_bitset_table_init(xt_bitset_table *table, size_t words);
void xt_bitset_table_clear(xt_bitset_table *table);

/* Adds a copy of set.  Returns 1 when it was new, 0 when it was already
 * present, and -1 when an allocation fails (the table is unchanged). */
int xt_bitset_table_insert(xt_bitset_table *table, const uint64_t *set);

/* Appends a copy of set (list->words words).  Returns XT_OK or
 * XT_ERR_NOMEM. */
int xt_dichotomy_list_push(xt_dichotomy_list *list, const uint64_t *set);

/* Sorts the sets by size, then lexicographically by member lists.
 * Returns XT_OK or XT_ERR_NOMEM (the list is then unchanged). */
int xt_dichotomy_list_sort(xt_dichotomy_list *list);

/* Input points reduced for enumeration: integer coordinates (each input
 * column scaled by the lcm of its denominators), repeated points merged,
 * projected onto dim coordinate columns in which the distinct points span
 * Q^dim affinely.  Every reduction keeps the set of dichotomies. */
typedef struct {
    long n;       /* input points */
    long count;   /* distinct points */
    int dim;
    long *group;  /* n entries: the distinct point of each input point */
    mpz_t *coord; /* count rows of dim entries; NULL when count*dim is 0 */
} xt_reduced_points;

/* Reduces the n points x (row-major, d columns).  Distinct points are
 * numbered in order of first occurrence.  Returns XT_OK or XT_ERR_NOMEM;
 * out must be cleared in both cases. */
int xt_reduce_points(xt_reduced_points *out, const mpq_t *x, long n, int d);

void xt_reduced_points_clear(xt_reduced_points *points);

/* Allocates count initialized mpz_t (NULL when count is 0 or when out of
 * memory), and frees such an array (NULL allowed). */
mpz_t *xt_mpz_array_new(size_t count);
void xt_mpz_array_free(mpz_t *array, size_t count);

#endif
