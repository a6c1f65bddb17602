/* Random and planted ETR-INV systems.  Planted systems derive their
 * values exactly (sums and inverses with Z3's real algebraic numbers),
 * so a chosen irrational solution works as well as a rational one. */
#include <stdlib.h>
#include <string.h>
#include "etrinv_internal.h"

/* splitmix64, the generator of the test and reduction code. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static int below(uint64_t *state, int bound)
{
    return bound > 0 ? (int)(next_random(state) % (uint64_t)bound) : 0;
}

int xt_etrinv_random(xt_etrinv_t out, uint64_t *rng, int nvars,
                     int nconstraints, xt_error_t *err)
{
    if (nvars < 1 || nvars > XT_ETRINV_MAX_VARS || nconstraints < 0 ||
        nconstraints > XT_ETRINV_MAX_CONSTRAINTS) {
        xt_error_set(err, "sizes out of range: %d variables, %d "
                     "constraints", nvars, nconstraints);
        return XT_ERR_INPUT;
    }
    xt_etrinv_reset(out, nvars);
    for (int i = 0; i < nconstraints; i++) {
        int kind = below(rng, 6), status;
        int a = below(rng, nvars), b = below(rng, nvars);
        int c = below(rng, nvars);
        xt_etrinv_op op = kind == 0 ? XT_ETRINV_ONE
                        : kind <= 3 ? XT_ETRINV_ADD : XT_ETRINV_INV;
        status = xt_etrinv_add(out, op, a, b, c, err);
        if (status != XT_OK)
            return status;
    }
    return XT_OK;
}

/* ------------------------------------------------------------- planted */

typedef struct {
    Z3_context c;
    xt_algebraic_struct *value;
    int count;              /* values defined so far */
    xt_etrinv_t sys;
    uint64_t *rng;
    xt_error_t *err;
} planter;

/* Sets out to 1 / a exactly. */
static int inverse(xt_algebraic_t out, planter *p, const xt_algebraic_t a)
{
    mpq_t one;
    Z3_ast za = xt_z3_mk_algebraic(p->c, a, p->err), r;

    if (!za)
        return XT_ERR_INTERNAL;
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    r = Z3_algebraic_div(p->c, xt_z3_mk_rational(p->c, one), za);
    mpq_clear(one);
    if (xt_z3_failed(p->c, "Z3_algebraic_div", p->err))
        return XT_ERR_INTERNAL;
    return xt_z3_get_algebraic(out, p->c, r, p->err);
}

/* Defines the next value as a sum of two earlier ones (when at most 2)
 * or an inverse, with its constraint. */
static int derive(planter *p)
{
    int v = p->count, status = XT_OK;
    mpq_t two;

    mpq_init(two);
    mpq_set_ui(two, 2, 1);
    for (int attempt = 0; attempt < 20 && below(p->rng, 2) == 0;
         attempt++) {
        int a = below(p->rng, v), b = below(p->rng, v);
        status = xt_etrinv_combine(&p->value[v], p->c, &p->value[a],
                                   &p->value[b], 1, p->err);
        if (status != XT_OK || xt_algebraic_cmp_q(&p->value[v], two) <= 0) {
            mpq_clear(two);
            p->count++;
            return status != XT_OK ? status
                   : xt_etrinv_add(p->sys, XT_ETRINV_ADD, a, b, v, p->err);
        }
    }
    mpq_clear(two);
    int a = below(p->rng, v);
    status = inverse(&p->value[v], p, &p->value[a]);
    p->count++;
    return status != XT_OK ? status
           : xt_etrinv_add(p->sys, XT_ETRINV_INV, a, v, 0, p->err);
}

/* Adds x = 1 for every value equal to 1. */
static int add_ones(planter *p)
{
    mpq_t one;
    int status = XT_OK;

    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    for (int v = 0; v < p->count && status == XT_OK; v++)
        if (xt_algebraic_cmp_q(&p->value[v], one) == 0)
            status = xt_etrinv_add(p->sys, XT_ETRINV_ONE, v, 0, 0, p->err);
    mpq_clear(one);
    return status;
}

/* Adds random relations the values satisfy, up to total constraints. */
static int add_relations(planter *p, int total)
{
    xt_algebraic_t r;
    mpq_t one;
    int n = p->count, status = XT_OK;

    xt_algebraic_init(r);
    mpq_init(one);
    mpq_set_ui(one, 1, 1);
    for (long tries = 0; tries < 50L * total && p->sys->count < total &&
                         status == XT_OK; tries++) {
        int a = below(p->rng, n), b = below(p->rng, n), c = below(p->rng, n);
        int add = below(p->rng, 2);
        status = xt_etrinv_combine(r, p->c, &p->value[a], &p->value[b], add,
                                   p->err);
        if (status != XT_OK)
            break;
        if (add && xt_algebraic_cmp(r, &p->value[c]) == 0)
            status = xt_etrinv_add(p->sys, XT_ETRINV_ADD, a, b, c, p->err);
        else if (!add && xt_algebraic_cmp_q(r, one) == 0)
            status = xt_etrinv_add(p->sys, XT_ETRINV_INV, a, b, 0, p->err);
    }
    mpq_clear(one);
    xt_algebraic_clear(r);
    return status;
}

/* Renames the variables by a random permutation and shuffles the
 * constraints; planted receives the values in the new names. */
static void scramble(xt_etrinv_t out, xt_etrinv_solution_t planted,
                     planter *p)
{
    int n = p->count, *perm = malloc((size_t)n * sizeof *perm);
    xt_etrinv_constraint *k = p->sys->constraints;

    if (!perm)
        abort();
    for (int v = 0; v < n; v++)
        perm[v] = v;
    for (int v = n - 1; v > 0; v--) {
        int u = below(p->rng, v + 1), t = perm[v];
        perm[v] = perm[u];
        perm[u] = t;
    }
    for (int i = p->sys->count - 1; i > 0; i--) {
        int j = below(p->rng, i + 1);
        xt_etrinv_constraint t = k[i];
        k[i] = k[j];
        k[j] = t;
    }
    xt_etrinv_reset(out, n);
    for (int i = 0; i < p->sys->count; i++)
        xt_etrinv_add(out, k[i].op, perm[k[i].a], perm[k[i].b],
                      perm[k[i].c], NULL);
    if (planted) {
        xt_etrinv_solution_resize(planted, n);
        for (int v = 0; v < n; v++)
            xt_algebraic_set(&planted->value[perm[v]], &p->value[v]);
    }
    free(perm);
}

static int check_values(const xt_algebraic_struct *values, int nvalues,
                        int nvars, xt_error_t *err)
{
    mpq_t half, two;
    int ok = nvalues >= 1 && nvalues <= nvars && nvars <= XT_ETRINV_MAX_VARS;

    mpq_inits(half, two, NULL);
    mpq_set_ui(half, 1, 2);
    mpq_set_ui(two, 2, 1);
    for (int v = 0; ok && v < nvalues; v++)
        ok = xt_algebraic_cmp_q(&values[v], half) >= 0 &&
             xt_algebraic_cmp_q(&values[v], two) <= 0;
    mpq_clears(half, two, NULL);
    if (!ok)
        xt_error_set(err, "a planted system needs 1 .. nvars chosen values, "
                     "each in [1/2, 2]");
    return ok ? XT_OK : XT_ERR_INPUT;
}

int xt_etrinv_plant(xt_etrinv_t out, xt_etrinv_solution_t planted,
                    const xt_algebraic_struct *values, int nvalues,
                    int nvars, int nconstraints, uint64_t *rng,
                    xt_error_t *err)
{
    planter p = {NULL, NULL, 0, {{0, 0, 0, NULL}}, rng, err};
    int status = check_values(values, nvalues, nvars, err);

    if (status != XT_OK)
        return status;
    p.c = xt_z3_context_new();
    p.value = malloc((size_t)nvars * sizeof *p.value);
    if (!p.c || !p.value)
        abort();
    for (int v = 0; v < nvars; v++)
        xt_algebraic_init(&p.value[v]);
    for (int v = 0; v < nvalues; v++)
        xt_algebraic_set(&p.value[v], &values[v]);
    p.count = nvalues;
    xt_etrinv_init(p.sys);
    xt_etrinv_reset(p.sys, nvars);
    while (status == XT_OK && p.count < nvars)
        status = derive(&p);
    if (status == XT_OK)
        status = add_ones(&p);
    if (status == XT_OK)
        status = add_relations(&p, nconstraints);
    if (status == XT_OK)
        scramble(out, planted, &p);
    for (int v = 0; v < nvars; v++)
        xt_algebraic_clear(&p.value[v]);
    free(p.value);
    xt_etrinv_clear(p.sys);
    xt_z3_context_free(p.c);
    return status;
}
