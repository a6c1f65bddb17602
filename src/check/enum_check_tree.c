/* Coverage of an enumeration certificate: every pattern of the data must
 * lie below a verified entry.
 *
 * The dichotomies of the doll's points (in the certificate's order) are
 * sorted as the leaves of a binary trie: position 0 of the order decides
 * first, 0 before 1.  A node at depth m is a tuple of k trie ranges, one
 * per neuron, so all the tuples of dichotomies below it agree on the
 * first m points.  The walk starts at the root of every sign class and
 * descends until it meets an entry with the node's depth and sets, up to
 * a permutation within each sign class.  A leaf (depth s) without an
 * entry is an uncovered pattern.  Inside a sign class only tuples with
 * nondecreasing ranges are walked, and two neurons with the same range
 * get nondecreasing activity at the next point, so each multiset of
 * dichotomies is visited once.  This code shares nothing with the
 * solver's search. */
#include <stdlib.h>
#include <string.h>
#include "enum_check.h"
#include "xtrain/rat.h"

/* The walk supports the solver's limit on k (2^k children per node). */
#define COVER_MAX_HIDDEN 16

typedef struct {
    enum_checker *c;
    const enum_table *table;
    const long *dpts;
    long s;
    xt_dichotomy_list sets;  /* over positions 0..s-1, trie order */
    int *sign;
    size_t *lo, *hi;         /* (s + 1) * k: ranges along the path */
    uint64_t **keysets;      /* k sets over the instance points */
    uint64_t *key;
    int *has_lower;
    mpq_ptr lower;
    mpq_t bound;
    long visited;
    xt_error_t *err;
} cover;

static int local_has(const cover *cv, size_t set, long pos)
{
    return xt_dichotomy_has(&cv->sets, set, pos);
}

/* Trie order: the set with 0 at the first differing position first. */
static int trie_compare(const uint64_t *a, const uint64_t *b, size_t words)
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

static void merge_sort(size_t *idx, size_t *tmp, size_t count,
                       const xt_dichotomy_list *list)
{
    if (count < 2)
        return;
    size_t half = count / 2, a = 0, b = half, out = 0;
    merge_sort(idx, tmp, half, list);
    merge_sort(idx + half, tmp, count - half, list);
    while (a < half && b < count) {
        const uint64_t *sa = list->sets + idx[a] * list->words;
        const uint64_t *sb = list->sets + idx[b] * list->words;
        tmp[out++] = trie_compare(sa, sb, list->words) <= 0 ? idx[a++]
                                                             : idx[b++];
    }
    while (a < half)
        tmp[out++] = idx[a++];
    while (b < count)
        tmp[out++] = idx[b++];
    memcpy(idx, tmp, count * sizeof *idx);
}

/* Enumerates the dichotomies of the doll points and sorts them. */
static int doll_sets(cover *cv, xt_error_t *err)
{
    const xt_instance_struct *inst = cv->c->inst;
    int d = inst->d;
    long s = cv->s;
    mpq_t *x = xt_rat_array_new((size_t)(s * d) + 1);
    if (!x)
        return -1;
    for (long q = 0; q < s; q++)
        for (int t = 0; t < d; t++)
            mpq_set(x[q * d + t], inst->x[cv->dpts[q] * d + t]);
    int rc = xt_dichotomies(&cv->sets, x, s, d, 0, err);
    xt_rat_array_free(x, (size_t)(s * d) + 1);
    if (rc != XT_OK)
        return -1;
    size_t count = cv->sets.count, words = cv->sets.words;
    size_t *idx = malloc((count + 1) * sizeof *idx);
    size_t *tmp = malloc((count + 1) * sizeof *tmp);
    uint64_t *sorted = malloc((count * words + 1) * sizeof *sorted);
    if (!idx || !tmp || !sorted) {
        free(idx);
        free(tmp);
        free(sorted);
        return -1;
    }
    for (size_t i = 0; i < count; i++)
        idx[i] = i;
    merge_sort(idx, tmp, count, &cv->sets);
    for (size_t i = 0; i < count; i++)
        memcpy(sorted + i * words, cv->sets.sets + idx[i] * words,
               words * sizeof *sorted);
    free(cv->sets.sets);
    cv->sets.sets = sorted;
    cv->sets.capacity = count;
    free(idx);
    free(tmp);
    return 0;
}

/* The first index in [lo, hi) whose set contains pos (the sets there
 * agree before pos, so those without it come first). */
static size_t split(const cover *cv, size_t lo, size_t hi, long pos)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (local_has(cv, mid, pos))
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* Looks up the node at depth m; returns 1 when an entry closes it. */
static int closed_by_entry(cover *cv, long m)
{
    enum_checker *c = cv->c;
    int k = c->k, positives;
    const size_t *lo = cv->lo + (size_t)m * k;
    for (int j = 0; j < k; j++) {
        memset(cv->keysets[j], 0, c->words * sizeof(uint64_t));
        for (long pos = 0; pos < m; pos++)
            if (local_has(cv, lo[j], pos)) {
                long i = cv->dpts[pos];
                cv->keysets[j][i / 64] |= (uint64_t)1 << (i % 64);
            }
    }
    xt_enum_check_key(c, cv->key, &positives, cv->sign, cv->keysets);
    const enum_entry *e = xt_enum_check_find(c, cv->table, cv->key,
                                             positives, m);
    if (!e)
        return 0;
    cv->visited++;
    if (!e->has_bound)
        return 1;
    /* The entry's bound and the verified bound for the other points. */
    mpq_srcptr rest = c->rest[cv->s - m];
    if (c->loss == XT_LOSS_LINF)
        mpq_set(cv->bound, mpq_cmp(e->bound, rest) >= 0 ? e->bound : rest);
    else
        mpq_add(cv->bound, e->bound, rest);
    if (!*cv->has_lower || mpq_cmp(cv->bound, cv->lower) < 0) {
        mpq_set(cv->lower, cv->bound);
        *cv->has_lower = 1;
    }
    return 1;
}

/* Walks the subtree of the node at depth m.  Returns 0, or -1 when a
 * pattern is not covered. */
static int walk(cover *cv, long m)
{
    int k = cv->c->k;
    /* Depth 0 is closed by an entry only when there are no points. */
    if ((m > 0 || cv->s == 0) && closed_by_entry(cv, m))
        return 0;
    if (m == cv->s) {
        xt_error_set(cv->err, "%s: pattern not covered (a tuple of "
                     "dichotomies has no entry)", cv->c->path);
        return -1;
    }
    const size_t *lo = cv->lo + (size_t)m * k, *hi = cv->hi + (size_t)m * k;
    size_t *clo = cv->lo + (size_t)(m + 1) * k;
    size_t *chi = cv->hi + (size_t)(m + 1) * k;
    size_t mid[COVER_MAX_HIDDEN];
    for (int j = 0; j < k; j++)
        mid[j] = split(cv, lo[j], hi[j], m);
    for (unsigned bits = 0; bits < (1u << k); bits++) {
        int ok = 1;
        for (int j = 0; j < k && ok; j++) {
            int one = bits >> j & 1;
            ok = one ? mid[j] < hi[j] : mid[j] > lo[j];
            /* Equal ranges in one class: nondecreasing activity. */
            if (ok && j + 1 < k && cv->sign[j] == cv->sign[j + 1] &&
                lo[j] == lo[j + 1] && one > (int)(bits >> (j + 1) & 1))
                ok = 0;
        }
        if (!ok)
            continue;
        for (int j = 0; j < k; j++) {
            int one = bits >> j & 1;
            clo[j] = one ? mid[j] : lo[j];
            chi[j] = one ? hi[j] : mid[j];
        }
        if (walk(cv, m + 1))
            return -1;
    }
    return 0;
}

static void cover_free(cover *cv)
{
    xt_dichotomy_list_clear(&cv->sets);
    for (int j = 0; cv->keysets && j < cv->c->k; j++)
        free(cv->keysets[j]);
    free(cv->keysets);
    free(cv->key);
    free(cv->lo);
    free(cv->hi);
    free(cv->sign);
    mpq_clear(cv->bound);
}

static int cover_alloc(cover *cv)
{
    enum_checker *c = cv->c;
    size_t k = (size_t)c->k, levels = (size_t)cv->s + 1;
    xt_dichotomy_list_init(&cv->sets, cv->s);
    mpq_init(cv->bound);
    cv->keysets = calloc(k, sizeof *cv->keysets);
    cv->key = calloc(k * c->words, sizeof *cv->key);
    cv->lo = malloc(levels * k * sizeof *cv->lo);
    cv->hi = malloc(levels * k * sizeof *cv->hi);
    cv->sign = malloc(k * sizeof *cv->sign);
    if (!cv->keysets || !cv->key || !cv->lo || !cv->hi || !cv->sign)
        return -1;
    for (size_t j = 0; j < k; j++)
        if (!(cv->keysets[j] = calloc(c->words, sizeof(uint64_t))))
            return -1;
    return 0;
}

int xt_enum_check_cover(enum_checker *c, const enum_table *table,
                        const long *dpts, long s, int *has_lower,
                        mpq_t lower, long *visited, xt_error_t *err)
{
    if (c->k > COVER_MAX_HIDDEN) {
        xt_error_set(err, "%s: the checker walks patterns of at most %d "
                     "neurons", c->path, COVER_MAX_HIDDEN);
        return -1;
    }
    cover cv;
    memset(&cv, 0, sizeof cv);
    cv.c = c;
    cv.table = table;
    cv.dpts = dpts;
    cv.s = s;
    cv.has_lower = has_lower;
    cv.lower = lower;
    cv.err = err;
    *has_lower = 0;
    int rc = cover_alloc(&cv);
    if (rc == 0)
        rc = doll_sets(&cv, err);
    if (rc && !err->message[0])
        xt_error_set(err, "out of memory");
    int lowest = c->inst->convex ? c->k : 0;
    for (int plus = c->k; rc == 0 && plus >= lowest; plus--) {
        for (int j = 0; j < c->k; j++) {
            cv.sign[j] = j < plus ? 1 : -1;
            cv.lo[j] = 0;
            cv.hi[j] = cv.sets.count;
        }
        rc = walk(&cv, 0);
    }
    *visited = cv.visited;
    cover_free(&cv);
    return rc;
}
