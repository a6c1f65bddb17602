/* The dichotomies of a point sequence sorted as the leaves of a binary
 * trie, so that the tree search can split a range of sets on the next
 * point with a binary search. */
#include <stdlib.h>
#include <string.h>
#include "enum_internal.h"
#include "xtrain/rat.h"

/* -1, 0 or 1: the set with a 0 at the first position where a and b
 * differ comes first. */
static int compare_sets(const uint64_t *a, const uint64_t *b, size_t words)
{
    for (size_t w = 0; w < words; w++) {
        uint64_t diff = a[w] ^ b[w];
        if (diff) {
            uint64_t low = diff & (~diff + 1);
            return (a[w] & low) ? 1 : -1;
        }
    }
    return 0;
}

/* Sorts index[0..count-1] by the sets they point to (merge sort: the
 * comparison needs the list, which qsort cannot pass in C17). */
static void sort_indices(size_t *index, size_t *tmp, size_t count,
                         const xt_dichotomy_list *list)
{
    if (count < 2)
        return;
    size_t half = count / 2;
    sort_indices(index, tmp, half, list);
    sort_indices(index + half, tmp, count - half, list);
    size_t a = 0, b = half, out = 0;
    while (a < half && b < count) {
        const uint64_t *sa = list->sets + index[a] * list->words;
        const uint64_t *sb = list->sets + index[b] * list->words;
        tmp[out++] = compare_sets(sa, sb, list->words) <= 0 ? index[a++]
                                                             : index[b++];
    }
    while (a < half)
        tmp[out++] = index[a++];
    while (b < count)
        tmp[out++] = index[b++];
    memcpy(index, tmp, count * sizeof *index);
}

/* Sorts the sets of list in trie order and removes repeats. */
static int sort_list(xt_dichotomy_list *list)
{
    size_t count = list->count, words = list->words;
    size_t *index = malloc((count + 1) * sizeof *index);
    size_t *tmp = malloc((count + 1) * sizeof *tmp);
    uint64_t *sorted = malloc((count * words + 1) * sizeof *sorted);
    if (!index || !tmp || !sorted) {
        free(index);
        free(tmp);
        free(sorted);
        return XT_ERR_NOMEM;
    }
    for (size_t i = 0; i < count; i++)
        index[i] = i;
    sort_indices(index, tmp, count, list);
    size_t unique = 0;
    for (size_t i = 0; i < count; i++) {
        const uint64_t *set = list->sets + index[i] * words;
        if (unique && !memcmp(sorted + (unique - 1) * words, set,
                              words * sizeof *sorted))
            continue;
        memcpy(sorted + unique * words, set, words * sizeof *sorted);
        unique++;
    }
    free(list->sets);
    list->sets = sorted;
    list->count = unique;
    list->capacity = count;
    free(index);
    free(tmp);
    return XT_OK;
}

int xt_enum_tree_build(xt_enum_tree *T, const xt_instance_t inst,
                       const long *pts, long s, size_t max_count,
                       xt_error_t *err)
{
    int d = inst->d;
    T->s = s;
    T->pts = pts;
    xt_dichotomy_list_init(&T->sets, s);
    mpq_t *x = xt_rat_array_new((size_t)(s * d + 1));
    if (!x) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    for (long r = 0; r < s; r++)
        for (int t = 0; t < d; t++)
            mpq_set(x[r * d + t], inst->x[pts[r] * d + t]);
    int rc = xt_dichotomies(&T->sets, x, s, d, max_count, err);
    xt_rat_array_free(x, (size_t)(s * d + 1));
    if (rc == XT_OK && sort_list(&T->sets) != XT_OK) {
        xt_error_set(err, "out of memory");
        rc = XT_ERR_NOMEM;
    }
    return rc;
}

/* Bits [off, off + s) of set, shifted to [0, s), into out. */
static void extract_bits(uint64_t *out, size_t out_words, const uint64_t *set,
                         size_t set_words, long off, long s)
{
    size_t w0 = (size_t)off / 64;
    unsigned shift = (unsigned)(off % 64);
    for (size_t w = 0; w < out_words; w++) {
        uint64_t lo = w0 + w < set_words ? set[w0 + w] : 0;
        uint64_t hi = w0 + w + 1 < set_words ? set[w0 + w + 1] : 0;
        out[w] = shift ? (lo >> shift) | (hi << (64 - shift)) : lo;
    }
    if (s % 64)
        out[out_words - 1] &= ((uint64_t)1 << (s % 64)) - 1;
}

int xt_enum_tree_restrict(xt_enum_tree *T, const xt_enum_tree *full,
                          long s, xt_error_t *err)
{
    long off = full->s - s;
    T->s = s;
    T->pts = full->pts + off;
    xt_dichotomy_list_init(&T->sets, s);
    size_t count = full->sets.count, words = T->sets.words;
    free(T->sets.sets);
    T->sets.sets = malloc((count * words + 1) * sizeof *T->sets.sets);
    if (!T->sets.sets) {
        T->sets.count = T->sets.capacity = 0;
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    for (size_t i = 0; i < count; i++)
        extract_bits(T->sets.sets + i * words, words,
                     full->sets.sets + i * full->sets.words,
                     full->sets.words, off, s);
    T->sets.count = T->sets.capacity = count;
    if (sort_list(&T->sets) != XT_OK) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    return XT_OK;
}

void xt_enum_tree_clear(xt_enum_tree *T)
{
    xt_dichotomy_list_clear(&T->sets);
}

size_t xt_enum_tree_split(const xt_enum_tree *T, size_t lo, size_t hi,
                          long pos)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (xt_dichotomy_has(&T->sets, mid, pos))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}
