/* The built-in source problems: Set Splitting, 3-SAT and Positive
 * One-in-Three 3-SAT, with their certificate checks, random and planted
 * generators, and exhaustive enumerators of small instances.
 *
 * Set Splitting has elements 1..n and subsets c_1..c_m.  A certificate
 * puts every element in S1 (value 1) or S2 (value 0) so that no subset
 * lies inside one part.  In Positive One-in-Three 3-SAT every clause has
 * three unnegated variables and exactly one must be true; Schaefer ("The
 * complexity of satisfiability problems", STOC 1978) proved it
 * NP-complete. */
#include <stdlib.h>
#include <string.h>
#include "reduction_internal.h"

/* ---- shared helpers ----------------------------------------------- */

static int has_repeated_variable(const int *lits, int count)
{
    for (int a = 0; a < count; a++)
        for (int b = a + 1; b < count; b++)
            if (abs(lits[a]) == abs(lits[b]))
                return 1;
    return 0;
}

static void standard_sizes(long *out, const xt_clauses_t src)
{
    out[0] = src->nvars;
    out[1] = src->nclauses;
    out[2] = src->start ? src->start[src->nclauses] : 0;
}

static int compare_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Draws count distinct variables from 1..n into out, sorted. */
static void draw_variables(int *out, int count, int n, uint64_t *rng)
{
    for (int t = 0; t < count; t++) {
        int v, seen;
        do {
            v = 1 + (int)xt_rng_below(rng, n);
            seen = 0;
            for (int u = 0; u < t; u++)
                seen |= out[u] == v;
        } while (seen);
        out[t] = v;
    }
    qsort(out, (size_t)count, sizeof(int), compare_int);
}

static int bit_count(unsigned mask)
{
    int count = 0;
    for (; mask; mask &= mask - 1)
        count++;
    return count;
}

/* Calls visit for every family of at most max_m distinct candidate
 * clauses (rows of width ints, len[c] of them used), over nvars
 * variables, with fewer clauses first. */
static int each_family(int nvars, const int *cand, const int *len,
                       int ncand, int width, int max_m,
                       int (*visit)(void *, const xt_clauses_t), void *data)
{
    xt_clauses_t src;
    xt_clauses_init(src);
    int idx[64], rc = XT_OK;
    if (max_m > 64)
        max_m = 64;
    for (int m = 0; m <= max_m && m <= ncand && rc == XT_OK; m++) {
        for (int t = 0; t < m; t++)
            idx[t] = t;
        for (;;) {
            xt_clauses_reset(src, nvars);
            for (int t = 0; t < m && rc == XT_OK; t++)
                rc = xt_clauses_add(src, cand + idx[t] * width,
                                    len[idx[t]]);
            if (rc == XT_OK)
                rc = visit(data, src);
            if (rc != XT_OK)
                break;
            int p = m - 1;
            while (p >= 0 && idx[p] == ncand - m + p)
                p--;
            if (p < 0)
                break;
            idx[p]++;
            for (int q = p + 1; q < m; q++)
                idx[q] = idx[q - 1] + 1;
        }
    }
    xt_clauses_clear(src);
    return rc;
}

/* ---- Set Splitting ------------------------------------------------ */

static int split_validate(const xt_clauses_t src, xt_error_t *err)
{
    for (int j = 0; j < src->nclauses; j++) {
        const int *lits = xt_clause_lits(src, j);
        int size = xt_clause_size(src, j);
        if (size == 0) {
            xt_error_set(err, "subset %d is empty (every subset lies "
                         "inside both parts, so leave it out)", j + 1);
            return XT_ERR_INPUT;
        }
        for (int t = 0; t < size; t++)
            if (lits[t] <= 0) {
                xt_error_set(err, "subset %d has the element %d (elements "
                             "are 1..%d)", j + 1, lits[t], src->nvars);
                return XT_ERR_INPUT;
            }
        if (has_repeated_variable(lits, size)) {
            xt_error_set(err, "subset %d lists an element twice", j + 1);
            return XT_ERR_INPUT;
        }
    }
    return XT_OK;
}

static int split_check(const xt_clauses_t src, const xt_assignment_t a)
{
    for (int j = 0; j < src->nclauses; j++) {
        const int *lits = xt_clause_lits(src, j);
        int in_first = 0, in_second = 0;
        for (int t = 0; t < xt_clause_size(src, j); t++) {
            if (a->value[lits[t] - 1])
                in_first = 1;
            else
                in_second = 1;
        }
        if (!in_first || !in_second)
            return 0;
    }
    return 1;
}

static int split_by(const int *subset, int size, const unsigned char *part)
{
    int ones = 0;
    for (int t = 0; t < size; t++)
        ones += part[subset[t] - 1];
    return ones > 0 && ones < size;
}

/* Draws n elements and 1 to 3n subsets.  Planted instances have subsets
 * of 2 to min(n, 4) elements, each split by a hidden partition with both
 * parts nonempty.  Uniform ones have subsets of 2 or 3 elements, which
 * makes NO instances (such as odd cycles of pairs) common. */
static int split_random(xt_clauses_t out, uint64_t *rng, int n, int planted)
{
    xt_clauses_reset(out, n);
    if (n < 2)
        return XT_OK;
    unsigned char *part = calloc((size_t)n, 1);
    if (!part)
        return XT_ERR_NOMEM;
    int ones;
    do {
        ones = 0;
        for (int v = 0; v < n; v++) {
            part[v] = (unsigned char)xt_rng_below(rng, 2);
            ones += part[v];
        }
    } while (ones == 0 || ones == n);
    int m = 1 + (int)xt_rng_below(rng, 3 * n);
    int max_size = planted ? 4 : 3, subset[4], rc = XT_OK;
    if (max_size > n)
        max_size = n;
    for (int j = 0; j < m && rc == XT_OK; j++) {
        int size = 2 + (int)xt_rng_below(rng, max_size - 1);
        do {
            draw_variables(subset, size, n, rng);
        } while (planted && !split_by(subset, size, part));
        rc = xt_clauses_add(out, subset, size);
    }
    free(part);
    return rc;
}

static int split_each(int max_size, int (*visit)(void *, const xt_clauses_t),
                      void *data)
{
    int rc = XT_OK;
    for (int n = 1; n <= max_size && n <= 10 && rc == XT_OK; n++) {
        int count = 0, *cand = malloc(sizeof(int) * (size_t)n << n);
        int *len = malloc(sizeof(int) << n);
        if (!cand || !len) {
            free(cand);
            free(len);
            return XT_ERR_NOMEM;
        }
        /* Subsets of size >= 2, by size, then by bit mask. */
        for (int size = 2; size <= n; size++)
            for (int mask = 0; mask < (1 << n); mask++) {
                if (bit_count((unsigned)mask) != size)
                    continue;
                int t = 0;
                for (int v = 0; v < n; v++)
                    if (mask >> v & 1)
                        cand[count * n + t++] = v + 1;
                len[count++] = size;
            }
        rc = each_family(n, cand, len, count, n, max_size, visit, data);
        free(cand);
        free(len);
    }
    return rc;
}

const xt_source_problem xt_source_set_splitting = {
    "set-splitting", "set",
    "Set Splitting: split the elements in two so that no subset lies "
    "inside one part",
    {"n", "m", "z"},
    split_validate, split_check, standard_sizes, split_random, split_each
};

/* ---- 3-SAT -------------------------------------------------------- */

static int cnf3_validate(const xt_clauses_t src, xt_error_t *err)
{
    for (int j = 0; j < src->nclauses; j++) {
        int size = xt_clause_size(src, j);
        if (size < 1 || size > 3) {
            xt_error_set(err, "clause %d has %d literals (3-SAT clauses "
                         "have 1 to 3)", j + 1, size);
            return XT_ERR_INPUT;
        }
    }
    return XT_OK;
}

static int literal_true(int lit, const xt_assignment_t a)
{
    int value = a->value[abs(lit) - 1];
    return lit > 0 ? value : !value;
}

static int cnf3_check(const xt_clauses_t src, const xt_assignment_t a)
{
    for (int j = 0; j < src->nclauses; j++) {
        const int *lits = xt_clause_lits(src, j);
        int sat = 0;
        for (int t = 0; t < xt_clause_size(src, j) && !sat; t++)
            sat = literal_true(lits[t], a);
        if (!sat)
            return 0;
    }
    return 1;
}

/* Draws n variables and round(4.26 n) clauses of min(n, 3) distinct
 * variables with random signs.  4.26 clauses per variable is the
 * empirical estimate of the random 3-SAT satisfiability threshold.
 * Planted instances redraw clauses false under a hidden assignment. */
static int cnf3_random(xt_clauses_t out, uint64_t *rng, int n, int planted)
{
    xt_clauses_reset(out, n);
    if (n < 1)
        return XT_OK;
    unsigned char *hidden = malloc((size_t)n);
    if (!hidden)
        return XT_ERR_NOMEM;
    for (int v = 0; v < n; v++)
        hidden[v] = (unsigned char)xt_rng_below(rng, 2);
    int m = (int)(4.26 * n + 0.5), width = n < 3 ? n : 3, clause[3];
    int rc = XT_OK;
    for (int j = 0; j < m && rc == XT_OK; j++) {
        int sat;
        do {
            draw_variables(clause, width, n, rng);
            sat = 0;
            for (int t = 0; t < width; t++) {
                int sign = xt_rng_below(rng, 2) ? 1 : -1;
                clause[t] *= sign;
                int v = abs(clause[t]) - 1;
                sat |= (sign > 0) == (hidden[v] != 0);
            }
        } while (planted && !sat);
        rc = xt_clauses_add(out, clause, width);
    }
    free(hidden);
    return rc;
}

static int cnf3_each(int max_size, int (*visit)(void *, const xt_clauses_t),
                     void *data)
{
    int rc = XT_OK;
    for (int n = 3; n <= max_size && n <= 8 && rc == XT_OK; n++) {
        int triples = n * (n - 1) * (n - 2) / 6 * 8, count = 0;
        int *cand = malloc(sizeof(int) * 3 * (size_t)triples);
        int *len = malloc(sizeof(int) * (size_t)triples);
        if (!cand || !len) {
            free(cand);
            free(len);
            return XT_ERR_NOMEM;
        }
        for (int a = 1; a <= n; a++)
            for (int b = a + 1; b <= n; b++)
                for (int c = b + 1; c <= n; c++)
                    for (int s = 0; s < 8; s++) {
                        cand[count * 3] = s & 1 ? -a : a;
                        cand[count * 3 + 1] = s & 2 ? -b : b;
                        cand[count * 3 + 2] = s & 4 ? -c : c;
                        len[count++] = 3;
                    }
        rc = each_family(n, cand, len, count, 3, max_size, visit, data);
        free(cand);
        free(len);
    }
    return rc;
}

const xt_source_problem xt_source_3sat = {
    "3sat", "cnf",
    "3-SAT: satisfy every clause of at most three literals",
    {"n", "m", "z"},
    cnf3_validate, cnf3_check, standard_sizes, cnf3_random, cnf3_each
};

/* ---- Positive One-in-Three 3-SAT ---------------------------------- */

static int x3_validate(const xt_clauses_t src, xt_error_t *err)
{
    for (int j = 0; j < src->nclauses; j++) {
        const int *lits = xt_clause_lits(src, j);
        int size = xt_clause_size(src, j);
        if (size != 3) {
            xt_error_set(err, "clause %d has %d literals (one-in-three "
                         "clauses have exactly 3)", j + 1, size);
            return XT_ERR_INPUT;
        }
        for (int t = 0; t < 3; t++)
            if (lits[t] < 0) {
                xt_error_set(err, "clause %d has the negative literal %d "
                             "(positive one-in-three SAT has none)", j + 1,
                             lits[t]);
                return XT_ERR_INPUT;
            }
        if (has_repeated_variable(lits, 3)) {
            xt_error_set(err, "clause %d repeats a variable", j + 1);
            return XT_ERR_INPUT;
        }
    }
    return XT_OK;
}

static int x3_check(const xt_clauses_t src, const xt_assignment_t a)
{
    for (int j = 0; j < src->nclauses; j++) {
        const int *lits = xt_clause_lits(src, j);
        int ones = 0;
        for (int t = 0; t < 3; t++)
            ones += a->value[lits[t] - 1];
        if (ones != 1)
            return 0;
    }
    return 1;
}

/* n variables (n >= 3), 1 to n clauses of three distinct variables;
 * planted: a hidden assignment with about n/3 true variables (at least
 * one true, two false), and each clause takes one true and two false. */
static int x3_random(xt_clauses_t out, uint64_t *rng, int n, int planted)
{
    xt_clauses_reset(out, n);
    if (n < 3)
        return XT_OK;
    int *truth = calloc((size_t)n, sizeof(int));
    if (!truth)
        return XT_ERR_NOMEM;
    int trues = 0;
    for (int v = 0; v < n; v++) {
        truth[v] = xt_rng_below(rng, 3) == 0;
        trues += truth[v];
    }
    if (trues == 0) {
        truth[xt_rng_below(rng, n)] = 1;
        trues = 1;
    }
    for (int v = 0; v < n && n - trues < 2; v++)
        if (truth[v] && trues > 1) {
            truth[v] = 0;
            trues--;
        }
    int m = 1 + (int)xt_rng_below(rng, n), clause[3], rc = XT_OK;
    for (int j = 0; j < m && rc == XT_OK; j++) {
        int ones;
        do {
            draw_variables(clause, 3, n, rng);
            ones = truth[clause[0] - 1] + truth[clause[1] - 1] +
                   truth[clause[2] - 1];
        } while (planted && ones != 1);
        rc = xt_clauses_add(out, clause, 3);
    }
    free(truth);
    return rc;
}

static int x3_each(int max_size, int (*visit)(void *, const xt_clauses_t),
                   void *data)
{
    int rc = XT_OK;
    for (int n = 3; n <= max_size && n <= 12 && rc == XT_OK; n++) {
        int count = 0, triples = n * (n - 1) * (n - 2) / 6;
        int *cand = malloc(sizeof(int) * 3 * (size_t)triples);
        int *len = malloc(sizeof(int) * (size_t)triples);
        if (!cand || !len) {
            free(cand);
            free(len);
            return XT_ERR_NOMEM;
        }
        for (int a = 1; a <= n; a++)
            for (int b = a + 1; b <= n; b++)
                for (int c = b + 1; c <= n; c++) {
                    cand[count * 3] = a;
                    cand[count * 3 + 1] = b;
                    cand[count * 3 + 2] = c;
                    len[count++] = 3;
                }
        rc = each_family(n, cand, len, count, 3, max_size, visit, data);
        free(cand);
        free(len);
    }
    return rc;
}

const xt_source_problem xt_source_1in3sat = {
    "1in3sat", "cnf",
    "Positive One-in-Three 3-SAT: exactly one true variable in every "
    "clause of three unnegated variables",
    {"n", "m", "z"},
    x3_validate, x3_check, standard_sizes, x3_random, x3_each
};

const xt_source_problem *const xt_source_problems[] = {
    &xt_source_set_splitting, &xt_source_3sat, &xt_source_1in3sat, NULL
};

const xt_source_problem *xt_source_find(const char *name)
{
    for (int i = 0; xt_source_problems[i]; i++)
        if (!strcmp(xt_source_problems[i]->name, name))
            return xt_source_problems[i];
    return NULL;
}
