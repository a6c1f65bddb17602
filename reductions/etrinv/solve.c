/* Deciding ETR-INV systems with Z3: the SMT-LIB text of the system is
 * checked by xt_smt_run_check (a fresh solver in a child process), and a
 * solution is confirmed by xt_etrinv_check before it is reported. */
#include <stdlib.h>
#include <string.h>
#include "etrinv_internal.h"
#include "xtrain/log.h"

/* Writes the declarations and assertions. */
static void write_body(FILE *f, const xt_etrinv_t sys)
{
    for (int v = 0; v < sys->nvars; v++)
        fprintf(f, "(declare-fun x%d () Real)\n(assert (and (<= (/ 1.0 2.0) "
                "x%d) (<= x%d 2.0)))\n", v, v, v);
    for (int i = 0; i < sys->count; i++) {
        const xt_etrinv_constraint *k = &sys->constraints[i];
        if (k->op == XT_ETRINV_ONE)
            fprintf(f, "(assert (= x%d 1.0))\n", k->a);
        else if (k->op == XT_ETRINV_ADD)
            fprintf(f, "(assert (= (+ x%d x%d) x%d))\n", k->a, k->b, k->c);
        else
            fprintf(f, "(assert (= (* x%d x%d) 1.0))\n", k->a, k->b);
    }
}

static const char *logic(const xt_etrinv_t sys)
{
    for (int i = 0; i < sys->count; i++)
        if (sys->constraints[i].op == XT_ETRINV_INV)
            return "QF_NRA";
    return "QF_LRA";
}

void xt_etrinv_write_smt2(FILE *stream, const xt_etrinv_t sys)
{
    fprintf(stream, "; ETR-INV system with %d variables and %d "
            "constraints, every variable in [1/2, 2]\n", sys->nvars,
            sys->count);
    fprintf(stream, "(set-info :smt-lib-version 2.6)\n"
            "(set-option :produce-models true)\n(set-logic %s)\n",
            logic(sys));
    write_body(stream, sys);
    fputs("(check-sat)\n; (get-model) prints a solution after sat\n"
          "(exit)\n", stream);
}

/* Reads and checks Z3's solution. */
static int take_solution(xt_etrinv_solution_t sol, const char *model,
                         const xt_etrinv_t sys, xt_error_t *err)
{
    char name[32];
    int holds = 0, failed = 0, status = XT_OK;

    xt_etrinv_solution_resize(sol, sys->nvars);
    for (int v = 0; v < sys->nvars && status == XT_OK; v++) {
        snprintf(name, sizeof name, "x%d", v);
        status = xt_smt_model_real(&sol->value[v], model, name, err);
    }
    if (status == XT_OK)
        status = xt_etrinv_check(&holds, &failed, sys, sol, err);
    if (status == XT_OK && !holds) {
        xt_error_set(err, "self-check failed: Z3's solution violates %s "
                     "%d", failed < 0 ? "the domain of variable x"
                     : "constraint", failed < 0 ? -1 - failed : failed + 1);
        status = XT_ERR_INTERNAL;
    }
    return status;
}

int xt_etrinv_solve(xt_smt_status *status, xt_etrinv_solution_t sol,
                    const xt_etrinv_t sys, double time_limit,
                    xt_error_t *err)
{
    xt_smt_var *vars = malloc((size_t)(sys->nvars > 0 ? sys->nvars : 1) *
                              sizeof *vars);
    char (*names)[16] = malloc((size_t)(sys->nvars > 0 ? sys->nvars : 1) *
                               sizeof *names);
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    xt_smt_run run;
    int rc;

    if (!vars || !names || !f)
        abort();
    *status = XT_SMT_UNKNOWN;
    write_body(f, sys);
    fclose(f);
    for (int v = 0; v < sys->nvars; v++) {
        snprintf(names[v], sizeof names[v], "x%d", v);
        vars[v].name = names[v];
        vars[v].boolean = 0;
    }
    xt_smt_run_init(&run);
    rc = xt_smt_run_check(&run, text, logic(sys), vars, sys->nvars,
                          time_limit, err);
    if (rc == XT_OK && run.status == XT_SMT_SAT)
        rc = take_solution(sol, run.model, sys, err);
    if (rc == XT_OK)
        *status = run.status;
    if (rc == XT_OK && run.status == XT_SMT_UNKNOWN)
        xt_log(2, "etr-inv: Z3 answered unknown (%s)\n", run.reason);
    xt_smt_run_clear(&run);
    free(text);
    free(vars);
    free(names);
    return rc;
}
