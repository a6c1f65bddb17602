/* planar-1in3 instances: a random Positive One-in-Three 3-SAT formula
 * with a given number of clauses, every variable used, mapped through
 * the planar levee reduction (reductions/planar).  With --planted the
 * formula has a hidden solution, whose forward network is the answer;
 * otherwise the answer is the first solution found by brute force, when
 * there is one and the formula is small enough. */
#include <stdlib.h>
#include <string.h>
#include "gen_internal.h"
#include "xtrain/reduction.h"
#include "../reductions/planar/planar.h"

/* splitmix64 (Steele, Lea and Flood, OOPSLA 2014). */
static uint64_t next(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int below(uint64_t *s, int bound)
{
    return (int)(next(s) % (uint64_t)bound);
}

/* Draws variable v for slot t of a clause: a true one first when planted
 * (truth given), false ones after it. */
static int draw_var(uint64_t *s, const unsigned char *truth, int n, int t)
{
    int v;
    do
        v = 1 + below(s, n);
    while (truth && truth[v - 1] != (t == 0));
    return v;
}

static int in_clause(const int *c, int v)
{
    return c[0] == v || c[1] == v || c[2] == v;
}

/* Replaces slots of variables used more than once by unused variables of
 * the same truth value.  Returns 1 when every variable is used. */
static int cover(int *lits, int m, int n, const unsigned char *truth,
                 uint64_t *s)
{
    int *uses = calloc((size_t)n + 1, sizeof(int));
    if (!uses)
        return 0;
    for (int i = 0; i < 3 * m; i++)
        uses[lits[i]]++;
    int ok = 1;
    for (int v = 1; v <= n && ok; v++) {
        int tries = 0;
        while (!uses[v] && tries++ < 1000) {
            int i = below(s, 3 * m), u = lits[i];
            if (uses[u] < 2 || in_clause(lits + 3 * (i / 3), v) ||
                (truth && truth[u - 1] != truth[v - 1]))
                continue;
            lits[i] = v;
            uses[u]--;
            uses[v]++;
        }
        ok = uses[v] > 0;
    }
    free(uses);
    return ok;
}

/* A random formula of m clauses over n variables, all used. */
static int random_formula(xt_clauses_t src, int m, int n,
                          const unsigned char *truth, uint64_t *s)
{
    int *lits = malloc(sizeof(int) * 3 * (size_t)m);
    if (!lits)
        return XT_ERR_NOMEM;
    int ok = 0;
    for (int round = 0; round < 100 && !ok; round++) {
        for (int j = 0; j < m; j++)
            for (int t = 0; t < 3; t++) {
                int v;
                do
                    v = draw_var(s, truth, n, t);
                while ((t > 0 && lits[3 * j] == v) ||
                       (t > 1 && lits[3 * j + 1] == v));
                lits[3 * j + t] = v;
            }
        ok = cover(lits, m, n, truth, s);
    }
    int rc = ok ? XT_OK : XT_ERR_LIMIT;
    xt_clauses_reset(src, n);
    for (int j = 0; j < m && rc == XT_OK; j++)
        rc = xt_clauses_add(src, lits + 3 * j, 3);
    free(lits);
    return rc;
}

/* A planted assignment with at least one true and two false variables. */
static void plant(unsigned char *truth, int n, uint64_t *s)
{
    int ones;
    do {
        ones = 0;
        for (int v = 0; v < n; v++)
            ones += truth[v] = (unsigned char)(below(s, 3) == 0);
    } while (ones < 1 || n - ones < 2);
}

static int write_rigidity(const char *path, const xt_clauses_t src,
                          xt_error_t *err)
{
    xt_planar_layout_t lay;
    xt_planar_layout_init(lay);
    int rc = xt_planar_layout(lay, src, err);
    FILE *f = rc == XT_OK ? fopen(path, "w") : NULL;
    if (rc == XT_OK && !f) {
        xt_error_set(err, "%s: cannot open for writing", path);
        rc = XT_ERR_IO;
    }
    if (f) {
        xt_planar_write_certificate(f, lay);
        if (fclose(f) != 0) {
            xt_error_set(err, "%s: write failed", path);
            rc = XT_ERR_IO;
        }
    }
    xt_planar_layout_clear(lay);
    return rc;
}

/* Maps the first solution (the planted one, or by brute force) forward. */
static int answer(xt_gen_result_t res, const xt_clauses_t src,
                  const unsigned char *truth, xt_error_t *err)
{
    const xt_reduction *red = &xt_reduction_planar;
    xt_assignment_t a;
    xt_assignment_init(a);
    xt_certificate_list list;
    xt_certificate_list_init(&list, src->nvars);
    int rc = xt_assignment_resize(a, src->nvars), found = 0;
    if (rc == XT_OK && truth) {
        memcpy(a->value, truth, (size_t)src->nvars);
        found = 1;
    } else if (rc == XT_OK && src->nvars <= 20) {
        rc = xt_source_solve(&list, red->source, src, err);
        found = rc == XT_OK && list.count > 0;
        if (found)
            rc = xt_certificate_list_get(a, &list, 0);
        if (rc == XT_OK)
            rc = xt_gen_note(res, "the formula has %ld solutions",
                             list.count);
    }
    if (rc == XT_OK && found)
        rc = red->forward(red, res->answer, src, res->instance, a, err);
    if (rc == XT_OK && found)
        rc = xt_network_loss(res->answer_loss, NULL, res->answer,
                             res->instance, res->instance->loss, err);
    if (rc == XT_OK && found) {
        res->has_answer = 1;
        res->answer_optimal = mpq_sgn(res->answer_loss) == 0;
    }
    xt_certificate_list_clear(&list);
    xt_assignment_clear(a);
    return rc;
}

static int note_formula(xt_gen_result_t res, const xt_clauses_t src)
{
    int rc = xt_gen_note(res, "source: p cnf %d %d", src->nvars,
                         src->nclauses);
    for (int j = 0; j < src->nclauses && rc == XT_OK; j++) {
        const int *l = xt_clause_lits(src, j);
        rc = xt_gen_note(res, "source: %d %d %d 0", l[0], l[1], l[2]);
    }
    return rc;
}

int xt_gen_planar(xt_gen_result_t res, const xt_gen_options *opt,
                  xt_error_t *err)
{
    int m = opt->clauses;
    if (m < 1 || m > 1000) {
        xt_error_set(err, "invalid number of clauses %d (expected 1 to "
                     "1000)", m);
        return XT_ERR_INPUT;
    }
    int n = m == 1 ? 3 : (3 * m + 1) / 2;
    uint64_t s = opt->seed;
    unsigned char *truth = opt->planted ? malloc((size_t)n) : NULL;
    if (opt->planted && !truth)
        return XT_ERR_NOMEM;
    if (truth)
        plant(truth, n, &s);
    xt_clauses_t src;
    xt_clauses_init(src);
    int rc = random_formula(src, m, n, truth, &s);
    if (rc == XT_ERR_LIMIT)
        xt_error_set(err, "could not draw a formula that uses every "
                     "variable");
    if (rc == XT_OK)
        rc = xt_reduction_planar.map(&xt_reduction_planar, res->instance,
                                     src, err);
    if (rc == XT_OK)
        rc = xt_gen_note(res, "planar levee reduction (%s), %d clauses%s",
                         xt_reduction_planar.citation, m,
                         truth ? ", planted solution" : "");
    if (rc == XT_OK)
        rc = note_formula(res, src);
    if (rc == XT_OK)
        rc = answer(res, src, truth, err);
    if (rc == XT_OK && opt->rigidity_path)
        rc = write_rigidity(opt->rigidity_path, src, err);
    xt_clauses_clear(src);
    free(truth);
    return rc;
}
