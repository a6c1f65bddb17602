/* Deciding ETR-AMI systems with Z3 (nlsat, logic QF_NRA).
 *
 * The system is built with Z3's C API in a fresh context, checked once,
 * and a model is read as real algebraic numbers and confirmed with
 * xt_etrami_check before it is reported. */
#include <math.h>
#include <stdlib.h>
#include "etrami_internal.h"

/* Asserts the constraints of sys over the variables x. */
static void assert_system(Z3_context c, Z3_solver s, const xt_etrami_t sys,
                          Z3_ast *x)
{
    Z3_ast one = Z3_mk_int(c, 1, Z3_mk_real_sort(c));

    for (int i = 0; i < sys->count; i++) {
        const xt_etrami_constraint *con = &sys->constraints[i];
        Z3_ast pair[2], left;
        if (con->op == XT_ETRAMI_ONE) {
            Z3_solver_assert(c, s, Z3_mk_eq(c, x[con->a], one));
            continue;
        }
        pair[0] = x[con->a];
        pair[1] = x[con->b];
        left = con->op == XT_ETRAMI_ADD ? Z3_mk_add(c, 2, pair)
                                        : Z3_mk_mul(c, 2, pair);
        Z3_solver_assert(c, s, Z3_mk_eq(c, left, x[con->c]));
    }
}

static void set_timeout(Z3_context c, Z3_solver s, double seconds)
{
    Z3_params params;
    double ms = ceil(seconds * 1000.0);

    if (seconds <= 0)
        return;
    params = Z3_mk_params(c);
    Z3_params_inc_ref(c, params);
    Z3_params_set_uint(c, params, Z3_mk_string_symbol(c, "timeout"),
                       ms > 4e9 ? 4000000000u : (unsigned)(ms < 1 ? 1 : ms));
    Z3_solver_set_params(c, s, params);
    Z3_params_dec_ref(c, params);
}

/* Reads the model's value of every variable into sol. */
static int read_model(xt_etrami_solution_t sol, Z3_context c, Z3_model m,
                      Z3_ast *x, int n, xt_error_t *err)
{
    if (xt_etrami_solution_resize(sol, n) != XT_OK) {
        xt_error_set(err, "out of memory for a solution of %d variables", n);
        return XT_ERR_NOMEM;
    }
    for (int v = 0; v < n; v++) {
        Z3_ast value = NULL;
        if (!Z3_model_eval(c, m, x[v], true, &value) || !value) {
            xt_error_set(err, "Z3's model has no value for x%d", v);
            return XT_ERR_INTERNAL;
        }
        if (xt_z3_get_algebraic(&sol->value[v], c, value, err) != XT_OK)
            return XT_ERR_INTERNAL;
    }
    return XT_OK;
}

/* Checks sys in the context c; fills *status and, on SAT, sol. */
static int run_check(xt_etrami_status *status, xt_etrami_solution_t sol,
                     Z3_context c, const xt_etrami_t sys, Z3_ast *x,
                     double time_limit, xt_error_t *err)
{
    Z3_solver s = Z3_mk_solver_for_logic(c, Z3_mk_string_symbol(c,
                                                                "QF_NRA"));
    Z3_lbool result;
    int rc = XT_OK;

    Z3_solver_inc_ref(c, s);
    set_timeout(c, s, time_limit);
    assert_system(c, s, sys, x);
    result = Z3_solver_check(c, s);
    if (xt_z3_failed(c, "the check of an ETR-AMI system", err)) {
        rc = XT_ERR_INTERNAL;
    } else if (result == Z3_L_TRUE) {
        Z3_model m = Z3_solver_get_model(c, s);
        Z3_model_inc_ref(c, m);
        rc = read_model(sol, c, m, x, sys->nvars, err);
        Z3_model_dec_ref(c, m);
        *status = XT_ETRAMI_SAT;
    } else if (result == Z3_L_FALSE) {
        *status = XT_ETRAMI_UNSAT;
    }
    Z3_solver_dec_ref(c, s);
    return rc;
}

int xt_etrami_solve(xt_etrami_status *status, xt_etrami_solution_t sol,
                    const xt_etrami_t sys, double time_limit,
                    xt_error_t *err)
{
    Z3_context c = xt_z3_context_new();
    Z3_ast *x = malloc((size_t)(sys->nvars > 0 ? sys->nvars : 1) *
                       sizeof *x);
    int rc = XT_OK, holds = 0, failed = -1;

    *status = XT_ETRAMI_UNKNOWN;
    if (!c || !x) {
        free(x);
        xt_z3_context_free(c);
        xt_error_set(err, "cannot create a Z3 context or out of memory");
        return XT_ERR_INTERNAL;
    }
    for (int v = 0; v < sys->nvars; v++) {
        char name[24];
        snprintf(name, sizeof name, "x%d", v);
        x[v] = Z3_mk_const(c, Z3_mk_string_symbol(c, name),
                           Z3_mk_real_sort(c));
    }
    /* NOTE: nlsat in Z3 4.8.12 does not always poll its cancel flag, so
     * a hard system can run past time_limit; the small systems of the
     * verifier and the generators finish in milliseconds. */
    rc = run_check(status, sol, c, sys, x, time_limit, err);
    free(x);
    xt_z3_context_free(c);
    if (rc == XT_OK && *status == XT_ETRAMI_SAT)
        rc = xt_etrami_check(&holds, &failed, sys, sol, err);
    if (rc == XT_OK && *status == XT_ETRAMI_SAT && !holds) {
        xt_error_set(err, "self-check failed: Z3's model violates "
                     "constraint %d", failed + 1);
        rc = XT_ERR_INTERNAL;
    }
    return rc;
}
