/* Generators of ETR-AMI systems: uniform random systems, systems with a
 * planted rational or algebraic solution, and the exhaustive list of
 * small systems.
 *
 * A planted system is built as a straight-line program whose values are
 * kept as Z3 real algebraic numbers.  Each new variable is free, 1, or a
 * sum, difference, product or quotient of earlier ones, so the
 * constraint defining it is satisfied by the planted values.
 * For an algebraic solution the program first encodes p(r) = 0 for an
 * integer polynomial p with only irrational roots, with constants built
 * from 1 by additions, powers by products, and the two sides of
 * p(r) = 0 split by the signs of the coefficients. */
#include <stdlib.h>
#include <string.h>
#include "etrami_internal.h"

/* The program under construction. */
typedef struct {
    Z3_context c;
    xt_etrami_struct *sys;
    Z3_ast *val;        /* planted value of each variable */
    int cap;
    uint64_t *rng;
    xt_error_t *err;
} builder;

/* Appends a variable with the planted value v; returns its index, or -1
 * when out of memory or over the limit. */
static int new_var(builder *b, Z3_ast v)
{
    if (b->sys->nvars >= XT_ETRAMI_MAX_VARS)
        return -1;
    if (b->sys->nvars == b->cap) {
        int cap = b->cap ? 2 * b->cap : 16;
        Z3_ast *bigger = realloc(b->val, (size_t)cap * sizeof *bigger);
        if (!bigger)
            return -1;
        b->val = bigger;
        b->cap = cap;
    }
    b->val[b->sys->nvars] = v;
    return b->sys->nvars++;
}

static Z3_ast small_rational(Z3_context c, long num, long den)
{
    mpq_t q;
    Z3_ast v;

    mpq_init(q);
    mpq_set_si(q, num, (unsigned long)den);
    mpq_canonicalize(q);
    v = xt_z3_mk_rational(c, q);
    mpq_clear(q);
    return v;
}

/* Adds one derived variable to the program, chosen at random. */
static int grow_program(builder *b)
{
    Z3_context c = b->c;
    int n = b->sys->nvars, x, y, v;
    long kind = xt_rng_below(b->rng, 10);

    x = (int)xt_rng_below(b->rng, n);
    y = (int)xt_rng_below(b->rng, n);
    if (kind <= 1) {
        long num = xt_rng_below(b->rng, 9) - 4;
        return new_var(b, small_rational(c, num,
                                         1 + xt_rng_below(b->rng, 3))) < 0
               ? XT_ERR_NOMEM : XT_OK;
    }
    if (kind == 8 && Z3_algebraic_is_zero(c, b->val[x]))
        kind = 6;
    if (kind <= 3)
        v = new_var(b, Z3_algebraic_add(c, b->val[x], b->val[y]));
    else if (kind <= 5)
        v = new_var(b, Z3_algebraic_mul(c, b->val[x], b->val[y]));
    else if (kind <= 7)
        v = new_var(b, Z3_algebraic_sub(c, b->val[y], b->val[x]));
    else if (kind == 8)
        v = new_var(b, Z3_algebraic_div(c, b->val[y], b->val[x]));
    else
        v = new_var(b, small_rational(c, 1, 1));
    if (v < 0)
        return XT_ERR_NOMEM;
    if (kind <= 3)
        return xt_etrami_add(b->sys, XT_ETRAMI_ADD, x, y, v, b->err);
    if (kind <= 5)
        return xt_etrami_add(b->sys, XT_ETRAMI_MUL, x, y, v, b->err);
    if (kind <= 7)      /* x + v = y */
        return xt_etrami_add(b->sys, XT_ETRAMI_ADD, x, v, y, b->err);
    if (kind == 8)      /* x * v = y */
        return xt_etrami_add(b->sys, XT_ETRAMI_MUL, x, v, y, b->err);
    return xt_etrami_add(b->sys, XT_ETRAMI_ONE, v, 0, 0, b->err);
}

/* Adds up to extra random constraints that the planted values satisfy,
 * trying 30 random candidates for each. */
static int add_relations(builder *b, int extra)
{
    Z3_context c = b->c;
    int n = b->sys->nvars, added = 0;

    for (long tries = 0; tries < 30L * extra && added < extra; tries++) {
        int x = (int)xt_rng_below(b->rng, n);
        int y = (int)xt_rng_below(b->rng, n);
        int z = (int)xt_rng_below(b->rng, n);
        xt_etrami_op op = (xt_etrami_op)xt_rng_below(b->rng, 3);
        int holds;
        if (op == XT_ETRAMI_ONE)
            holds = Z3_algebraic_eq(c, b->val[x], small_rational(c, 1, 1));
        else if (op == XT_ETRAMI_ADD)
            holds = Z3_algebraic_eq(c, Z3_algebraic_add(c, b->val[x],
                                                        b->val[y]),
                                    b->val[z]);
        else
            holds = Z3_algebraic_eq(c, Z3_algebraic_mul(c, b->val[x],
                                                        b->val[y]),
                                    b->val[z]);
        if (!holds)
            continue;
        if (xt_etrami_add(b->sys, op, x, y, z, b->err) != XT_OK)
            return XT_ERR_NOMEM;
        added++;
    }
    return XT_OK;
}

/* ------------------------------------------------- algebraic planting */

/* Whether the monic integer polynomial coef (degree deg, constant term
 * nonzero) has an integer root, which must divide the constant term. */
static int has_integer_root(const long *coef, int deg)
{
    long c0 = labs(coef[0]);

    for (long r = 1; r <= c0; r++) {
        if (c0 % r)
            continue;
        for (int sign = -1; sign <= 1; sign += 2) {
            long value = 0, x = sign * r;
            for (int i = deg; i >= 0; i--)
                value = value * x + coef[i];
            if (value == 0)
                return 1;
        }
    }
    return 0;
}

/* Chooses a monic quadratic or cubic with small coefficients, a nonzero
 * constant term, at least one real root and no integer root.  A rational
 * root of a monic integer polynomial is an integer, so every real root
 * is irrational.  Returns the degree. */
static int choose_polynomial(long coef[4], uint64_t *rng)
{
    for (;;) {
        int deg = xt_rng_below(rng, 3) == 2 ? 3 : 2;
        for (int i = 0; i < deg; i++)
            coef[i] = xt_rng_below(rng, 7) - 3;
        coef[deg] = 1;
        if (coef[0] == 0 || has_integer_root(coef, deg))
            continue;
        if (deg == 2 && coef[1] * coef[1] - 4 * coef[0] <= 0)
            continue;
        return deg;
    }
}

/* Returns the variable holding the integer value k >= 1, building it
 * from 1 by additions; consts[k] caches it (-1 when not built). */
static int constant(builder *b, int *consts, int k)
{
    if (consts[k] >= 0)
        return consts[k];
    int prev = constant(b, consts, k - 1);
    int v = prev < 0 ? -1 : new_var(b, small_rational(b->c, k, 1));
    if (v < 0 || xt_etrami_add(b->sys, XT_ETRAMI_ADD, prev, consts[1], v,
                               b->err) != XT_OK)
        return -1;
    return consts[k] = v;
}

/* Returns the variable holding |coef| r^i (a power when |coef| = 1). */
static int term(builder *b, int *consts, const int *power, long coef, int i)
{
    long k = labs(coef);
    int factor, v;

    if (i == 0)
        return constant(b, consts, (int)k);
    if (k == 1)
        return power[i];
    factor = constant(b, consts, (int)k);
    v = factor < 0 ? -1 : new_var(b, Z3_algebraic_mul(b->c, b->val[factor],
                                                      b->val[power[i]]));
    if (v < 0 || xt_etrami_add(b->sys, XT_ETRAMI_MUL, factor, power[i], v,
                               b->err) != XT_OK)
        return -1;
    return v;
}

/* Returns the variable holding the sum of the terms of coef whose sign
 * is sign (zero when there is none, as for x^2 + 3 x + 1, whose roots are
 * negative), or -1 on failure. */
static int side(builder *b, int *consts, const int *power, const long *coef,
                int deg, int sign, int zero)
{
    int sum = -1;

    for (int i = 0; i <= deg; i++) {
        int t, s;
        if (coef[i] == 0 || (coef[i] > 0) != (sign > 0))
            continue;
        t = term(b, consts, power, coef[i], i);
        if (t < 0)
            return -1;
        if (sum < 0) {
            sum = t;
            continue;
        }
        s = new_var(b, Z3_algebraic_add(b->c, b->val[sum], b->val[t]));
        if (s < 0 || xt_etrami_add(b->sys, XT_ETRAMI_ADD, sum, t, s,
                                   b->err) != XT_OK)
            return -1;
        sum = s;
    }
    return sum < 0 ? zero : sum;
}

/* Encodes p(r) = 0 for a random p; variable 0 is 1 and variable 1 is r. */
static int plant_root(builder *b)
{
    long coef[4];
    int deg = choose_polynomial(coef, b->rng), power[4] = {-1, 1, -1, -1};
    int consts[8] = {-1, 0, -1, -1, -1, -1, -1, -1}, zero, left, right;
    mpz_t z[4];
    xt_algebraic_t root;
    xt_error_t probe;
    unsigned long roots;
    Z3_ast r;

    xt_algebraic_init(root);
    for (int i = 0; i <= deg; i++)
        mpz_init_set_si(z[i], coef[i]);
    /* the number of real roots: 2 for these quadratics, 1 or 3 for
     * cubics; xt_algebraic_set_root fails past the last */
    for (roots = 1; roots < 3; roots++)
        if (xt_algebraic_set_root(root, z, deg, roots + 1, &probe) != XT_OK)
            break;
    xt_algebraic_set_root(root, z, deg,
                          1 + (unsigned long)xt_rng_below(b->rng,
                                                          (long)roots),
                          b->err);
    for (int i = 0; i <= deg; i++)
        mpz_clear(z[i]);
    r = xt_z3_mk_algebraic(b->c, root, b->err);
    xt_algebraic_clear(root);
    if (!r || new_var(b, small_rational(b->c, 1, 1)) != 0 ||
        xt_etrami_add(b->sys, XT_ETRAMI_ONE, 0, 0, 0, b->err) != XT_OK ||
        new_var(b, r) != 1)
        return XT_ERR_INTERNAL;
    for (int i = 2; i <= deg; i++) {
        power[i] = new_var(b, Z3_algebraic_mul(b->c, b->val[power[i - 1]],
                                               r));
        if (power[i] < 0 || xt_etrami_add(b->sys, XT_ETRAMI_MUL,
                                          power[i - 1], 1, power[i],
                                          b->err) != XT_OK)
            return XT_ERR_INTERNAL;
    }
    zero = new_var(b, small_rational(b->c, 0, 1));
    if (zero < 0 ||
        xt_etrami_add(b->sys, XT_ETRAMI_ADD, zero, 0, 0, b->err) != XT_OK)
        return XT_ERR_NOMEM;
    left = side(b, consts, power, coef, deg, 1, zero);
    right = side(b, consts, power, coef, deg, -1, zero);
    if (left < 0 || right < 0 ||
        xt_etrami_add(b->sys, XT_ETRAMI_ADD, left, zero, right,
                      b->err) != XT_OK)
        return XT_ERR_NOMEM;
    return XT_OK;
}

/* ---------------------------------------------------- final shuffling */

/* Renames the variables by a random permutation, swaps the operands of
 * sums and products at random and shuffles the constraints. */
static int scramble(builder *b)
{
    int n = b->sys->nvars, m = b->sys->count;
    int *perm = malloc((size_t)(n > 0 ? n : 1) * sizeof *perm);
    Z3_ast *val = malloc((size_t)(n > 0 ? n : 1) * sizeof *val);

    if (!perm || !val) {
        free(perm);
        free(val);
        return XT_ERR_NOMEM;
    }
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int i = n - 1; i > 0; i--) {
        int j = (int)xt_rng_below(b->rng, i + 1), t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (int i = 0; i < n; i++)
        val[perm[i]] = b->val[i];
    memcpy(b->val, val, (size_t)n * sizeof *val);
    for (int i = 0; i < m; i++) {
        xt_etrami_constraint *con = &b->sys->constraints[i];
        con->a = perm[con->a];
        if (con->op != XT_ETRAMI_ONE) {
            con->b = perm[con->b];
            con->c = perm[con->c];
            if (xt_rng_below(b->rng, 2)) {
                int t = con->a;
                con->a = con->b;
                con->b = t;
            }
        }
    }
    for (int i = m - 1; i > 0; i--) {
        int j = (int)xt_rng_below(b->rng, i + 1);
        xt_etrami_constraint t = b->sys->constraints[i];
        b->sys->constraints[i] = b->sys->constraints[j];
        b->sys->constraints[j] = t;
    }
    free(perm);
    free(val);
    return XT_OK;
}

/* Converts the planted values into sol. */
static int take_values(xt_etrami_solution_t sol, builder *b)
{
    int status = xt_etrami_solution_resize(sol, b->sys->nvars);

    for (int v = 0; v < b->sys->nvars && status == XT_OK; v++)
        status = xt_z3_get_algebraic(&sol->value[v], b->c, b->val[v],
                                     b->err);
    return status;
}

/* Builds a planted system into sys (reset to 0 variables). */
static int build_planted(builder *b, int nvars, int nconstraints,
                         xt_etrami_plant plant)
{
    int status = XT_OK;

    if (plant == XT_ETRAMI_PLANTED_ALGEBRAIC) {
        status = plant_root(b);
    } else if (new_var(b, small_rational(b->c, 1, 1)) != 0) {
        status = XT_ERR_NOMEM;
    } else {
        status = xt_etrami_add(b->sys, XT_ETRAMI_ONE, 0, 0, 0, b->err);
    }
    while (status == XT_OK && b->sys->nvars < nvars)
        status = grow_program(b);
    if (status == XT_OK && plant == XT_ETRAMI_PLANTED_RATIONAL)
        status = add_relations(b, nconstraints);
    if (status == XT_OK && xt_z3_failed(b->c, "the planted values", b->err))
        status = XT_ERR_INTERNAL;
    if (status == XT_OK)
        status = scramble(b);
    return status;
}

/* ------------------------------------------------------------ uniform */

static int build_uniform(xt_etrami_t sys, uint64_t *rng, int nvars,
                         int nconstraints, xt_error_t *err)
{
    xt_etrami_reset(sys, nvars);
    for (int i = 0; i < nconstraints; i++) {
        long r = xt_rng_below(rng, 10);
        xt_etrami_op op = r < 3 ? XT_ETRAMI_ONE
                          : r < 6 ? XT_ETRAMI_ADD : XT_ETRAMI_MUL;
        int a = (int)xt_rng_below(rng, nvars);
        int b = (int)xt_rng_below(rng, nvars);
        int c = (int)xt_rng_below(rng, nvars);
        if (xt_etrami_add(sys, op, a, b, c, err) != XT_OK)
            return XT_ERR_NOMEM;
    }
    return XT_OK;
}

int xt_etrami_random(xt_etrami_t out, xt_etrami_solution_t planted,
                     uint64_t *rng, int nvars, int nconstraints,
                     xt_etrami_plant plant, xt_error_t *err)
{
    builder b;
    xt_etrami_t sys;
    int status;

    if (nvars < 1 || nvars > XT_ETRAMI_MAX_VARS || nconstraints < 0 ||
        nconstraints > XT_ETRAMI_MAX_CONSTRAINTS) {
        xt_error_set(err, "random systems need 1 .. %d variables and 0 .. %d "
                     "constraints", XT_ETRAMI_MAX_VARS,
                     XT_ETRAMI_MAX_CONSTRAINTS);
        return XT_ERR_INPUT;
    }
    xt_etrami_init(sys);
    if (plant == XT_ETRAMI_UNIFORM) {
        status = build_uniform(sys, rng, nvars, nconstraints, err);
        if (status == XT_OK && planted)
            status = xt_etrami_solution_resize(planted, 0);
    } else {
        memset(&b, 0, sizeof b);
        b.c = xt_z3_context_new();
        b.sys = sys;
        b.rng = rng;
        b.err = err;
        status = b.c ? build_planted(&b, nvars, nconstraints, plant)
                     : XT_ERR_INTERNAL;
        if (status == XT_OK && planted)
            status = take_values(planted, &b);
        free(b.val);
        xt_z3_context_free(b.c);
    }
    if (status == XT_OK)
        status = xt_etrami_set(out, sys);
    else if (status == XT_ERR_NOMEM)
        xt_error_set(err, "out of memory while generating a system");
    xt_etrami_clear(sys);
    return status;
}

/* ------------------------------------------------------- exhaustive */

/* The canonical constraints over n variables: x_a = 1, then sums and
 * products with a <= b. */
static int list_constraints(xt_etrami_constraint **out, int n)
{
    int count = 0, cap = n + 2 * n * (n + 1) / 2 * n;
    xt_etrami_constraint *list = malloc((size_t)cap * sizeof *list);

    if (!list)
        return -1;
    for (int a = 0; a < n; a++)
        list[count++] = (xt_etrami_constraint){XT_ETRAMI_ONE, a, 0, 0};
    for (int op = XT_ETRAMI_ADD; op <= XT_ETRAMI_MUL; op++)
        for (int a = 0; a < n; a++)
            for (int b = a; b < n; b++)
                for (int c = 0; c < n; c++)
                    list[count++] = (xt_etrami_constraint){
                        (xt_etrami_op)op, a, b, c};
    *out = list;
    return count;
}

/* Whether the chosen constraints use every one of n variables. */
static int uses_all(const xt_etrami_constraint *list, const int *pick,
                    int size, int n)
{
    unsigned long long used = 0;

    for (int i = 0; i < size; i++) {
        const xt_etrami_constraint *con = &list[pick[i]];
        used |= 1ull << con->a;
        if (con->op != XT_ETRAMI_ONE)
            used |= (1ull << con->b) | (1ull << con->c);
    }
    return used == (n >= 64 ? ~0ull : (1ull << n) - 1);
}

/* Visits every subset of size constraints of the list of total. */
static int visit_subsets(const xt_etrami_constraint *list, int total, int n,
                         int size, int (*visit)(void *, const xt_etrami_t),
                         void *data, xt_etrami_t sys)
{
    int pick[64], rc = 0;

    for (int i = 0; i < size; i++)
        pick[i] = i;
    while (rc == 0) {
        if (uses_all(list, pick, size, n)) {
            xt_etrami_reset(sys, n);
            for (int i = 0; i < size; i++)
                if (xt_etrami_add(sys, list[pick[i]].op, list[pick[i]].a,
                                  list[pick[i]].b, list[pick[i]].c,
                                  NULL) != XT_OK)
                    return -1;
            rc = visit(data, sys);
        }
        int i = size - 1;
        while (i >= 0 && pick[i] == total - size + i)
            i--;
        if (i < 0)
            break;
        pick[i]++;
        for (int j = i + 1; j < size; j++)
            pick[j] = pick[j - 1] + 1;
    }
    return rc;
}

int xt_etrami_each(int max_vars, int max_constraints,
                   int (*visit)(void *data, const xt_etrami_t sys),
                   void *data)
{
    xt_etrami_t sys;
    int rc = 0;

    if (max_vars > 16 || max_constraints > 64)
        return -1;
    xt_etrami_init(sys);
    for (int n = 1; n <= max_vars && rc == 0; n++) {
        xt_etrami_constraint *list;
        int total = list_constraints(&list, n);
        if (total < 0) {
            rc = -1;
            break;
        }
        for (int size = 1; size <= max_constraints && size <= total &&
                           rc == 0; size++)
            rc = visit_subsets(list, total, n, size, visit, data, sys);
        free(list);
    }
    xt_etrami_clear(sys);
    return rc;
}
