/* One decision with Z3: is there a network with loss <= target?
 *
 * The formula is the SMT-LIB text of xt_smt_write_body, parsed by Z3, so
 * the exported file and the solved formula are the same.  The check runs
 * with xt_smt_run_check (a fresh solver in a child process), and the
 * model becomes an algebraic network that is verified independently
 * before it is reported. */
#include <stdlib.h>
#include <string.h>
#include "smt_internal.h"
#include "xtrain/log.h"

void xt_smt_answer_init(xt_smt_answer_t ans)
{
    memset(ans, 0, sizeof *ans);
    ans->status = XT_SMT_UNKNOWN;
    xt_algebraic_network_init(ans->network);
    xt_algebraic_loss_init(ans->loss);
}

void xt_smt_answer_clear(xt_smt_answer_t ans)
{
    xt_algebraic_network_clear(ans->network);
    xt_algebraic_loss_clear(ans->loss);
}

/* ---------------------------------------------------------- the model */

/* Stores the weight variables of the formula, for the checking child,
 * and returns their number; names has room for weight_count names. */
static int weight_vars(xt_smt_var *vars, char (*names)[48],
                       const xt_instance_t inst, const xt_smt_options_t opt)
{
    xt_smt_output_form form = xt_smt_output_weights(inst, opt);
    int count = 0;

    for (int j = 0; j < inst->hidden; j++) {
        for (int t = 0; t <= inst->d; t++)
            xt_smt_weight_name(names[count++], t < inst->d ? 'w' : 'b', j,
                               t);
        if (form == OUT_SIGN)
            xt_smt_weight_name(names[count++], 's', j, 0);
    }
    for (int o = 0; o < inst->m; o++) {
        for (int j = 0; j < inst->hidden && form == OUT_FREE; j++)
            xt_smt_weight_name(names[count++], 'a', o, j);
        if (inst->output_bias)
            xt_smt_weight_name(names[count++], 'c', o, 0);
    }
    for (int i = 0; i < count; i++) {
        vars[i].name = names[i];
        vars[i].boolean = names[i][0] == 's';
    }
    return count;
}

/* Upper bound on the number of weight variables. */
static long weight_count(const xt_instance_t inst)
{
    return (long)inst->hidden * (inst->d + 2) +
           (long)inst->m * (inst->hidden + 1);
}

static int read_model(xt_algebraic_network_t net, const char *model,
                      const xt_instance_t inst, const xt_smt_options_t opt,
                      xt_error_t *err)
{
    xt_smt_output_form form = xt_smt_output_weights(inst, opt);
    int d = inst->d, k = inst->hidden, status;
    char name[48];
    mpq_t q;

    status = xt_algebraic_network_resize(net, d, k, inst->m, err);
    net->activation = inst->activation;
    net->has_output_bias = inst->output_bias;
    net->threshold_output = 0;
    for (int j = 0; j < k && status == XT_OK; j++) {
        for (int t = 0; t < d && status == XT_OK; t++) {
            xt_smt_weight_name(name, 'w', j, t);
            if (xt_instance_input_edge(inst, j, t))
                status = xt_smt_model_real(&net->w[j * d + t], model, name,
                                           err);
        }
        xt_smt_weight_name(name, 'b', j, 0);
        if (status == XT_OK)
            status = xt_smt_model_real(&net->b[j], model, name, err);
    }
    mpq_init(q);
    for (int o = 0; o < inst->m && status == XT_OK; o++)
        for (int j = 0; j < k && status == XT_OK; j++) {
            xt_algebraic_struct *a = &net->a[o * k + j];
            xt_smt_weight_name(name, form == OUT_SIGN ? 's' : 'a',
                               form == OUT_SIGN ? j : o, j);
            if (!xt_instance_output_edge(inst, o, j))
                continue;   /* a missing edge keeps weight 0 */
            if (form == OUT_FREE) {
                status = xt_smt_model_real(a, model, name, err);
                continue;
            }
            /* a missing s_J is free: +1 works as well as -1 */
            mpq_set_si(q, form == OUT_SIGN &&
                       xt_smt_model_bool(model, name) == 0 ? -1 : 1, 1);
            xt_algebraic_set_q(a, q);
        }
    mpq_clear(q);
    for (int o = 0; o < inst->m && inst->output_bias && status == XT_OK;
         o++) {
        xt_smt_weight_name(name, 'c', o, 0);
        status = xt_smt_model_real(&net->c[o], model, name, err);
    }
    return status;
}

/* Checks the weight bound on every weight of net. */
static int check_bound(const xt_algebraic_network_t net,
                       const xt_smt_options_t opt, xt_error_t *err)
{
    const xt_algebraic_struct *lists[4] = {net->w, net->b, net->a, net->c};
    long sizes[4] = {(long)net->k * net->d, net->k, (long)net->m * net->k,
                     net->has_output_bias ? net->m : 0};
    mpq_t neg;
    int ok = 1;

    if (!opt->has_weight_bound)
        return XT_OK;
    mpq_init(neg);
    mpq_neg(neg, opt->weight_bound);
    for (int l = 0; l < 4; l++)
        for (long i = 0; i < sizes[l]; i++)
            ok &= xt_algebraic_cmp_q(&lists[l][i], opt->weight_bound) <= 0 &&
                  xt_algebraic_cmp_q(&lists[l][i], neg) >= 0;
    mpq_clear(neg);
    if (!ok) {
        xt_error_set(err, "self-check failed: Z3's model has a weight "
                     "outside the weight bound");
        return XT_ERR_INTERNAL;
    }
    return XT_OK;
}

/* Turns the model text into ans->network and verifies it. */
static int take_model(xt_smt_answer_t ans, const char *model,
                      const xt_instance_t inst, const xt_algebraic_t target,
                      int strict, const xt_smt_options_t opt,
                      xt_error_t *err)
{
    int status = read_model(ans->network, model, inst, opt, err);

    if (status == XT_OK)
        status = check_bound(ans->network, opt, err);
    if (status == XT_OK)
        status = xt_algebraic_network_loss(ans->loss, ans->network, inst,
                                           inst->loss, target, strict, err);
    if (status == XT_OK && !ans->loss->meets_target) {
        char *loss = xt_algebraic_to_string(ans->loss->loss);
        xt_error_set(err, "self-check failed: Z3's model has loss %s, "
                     "which does not meet the target", loss ? loss : "?");
        free(loss);
        status = XT_ERR_INTERNAL;
    }
    if (status == XT_OK)
        ans->status = XT_SMT_SAT;
    return status;
}

/* Writes the formula's SMT-LIB body into a malloc'd string. */
static int formula_text(char **text, const xt_instance_t inst,
                        const xt_algebraic_t target, int strict,
                        const xt_smt_options_t opt, xt_error_t *err)
{
    size_t size = 0;
    FILE *stream = open_memstream(text, &size);
    int status;

    if (!stream) {
        xt_error_set(err, "out of memory for the formula");
        return XT_ERR_NOMEM;
    }
    status = xt_smt_write_body(stream, inst, target, strict, opt, err);
    if (fclose(stream) != 0 && status == XT_OK) {
        xt_error_set(err, "out of memory for the formula");
        status = XT_ERR_NOMEM;
    }
    return status;
}

int xt_smt_decide(xt_smt_answer_t ans, const xt_instance_t inst,
                  const xt_algebraic_t target, int strict,
                  const xt_smt_options_t opt, double time_limit,
                  xt_error_t *err)
{
    double start = xt_seconds();
    const char *logic = xt_smt_logic(inst, target, opt);
    long capacity = weight_count(inst);
    xt_smt_var *vars = malloc((size_t)capacity * sizeof *vars);
    char (*names)[48] = malloc((size_t)capacity * sizeof *names);
    char *text = NULL;
    xt_smt_run run;
    int status;

    if (!vars || !names)
        abort();
    xt_smt_run_init(&run);
    ans->status = XT_SMT_UNKNOWN;
    ans->time_limit_reached = ans->interrupted = 0;
    ans->reason[0] = '\0';
    status = formula_text(&text, inst, target, strict, opt, err);
    if (status == XT_OK)
        status = xt_smt_run_check(&run, text, logic, vars,
                                  weight_vars(vars, names, inst, opt),
                                  time_limit, err);
    if (status == XT_OK && run.status == XT_SMT_SAT)
        status = take_model(ans, run.model, inst, target, strict, opt, err);
    else if (status == XT_OK)
        ans->status = run.status;
    snprintf(ans->reason, sizeof ans->reason, "%s", run.reason);
    ans->interrupted = run.killed == 2;
    ans->time_limit_reached = run.killed == 1 ||
                              strstr(run.reason, "timeout") ||
                              strstr(run.reason, "canceled");
    xt_smt_run_clear(&run);
    free(text);
    free(vars);
    free(names);
    ans->seconds = xt_seconds() - start;
    xt_log(2, "smt: %s check of loss %s target: %s in %.3f s\n", logic,
           strict ? "<" : "<=", ans->status == XT_SMT_SAT ? "sat"
           : ans->status == XT_SMT_UNSAT ? "unsat" : "unknown",
           ans->seconds);
    return status;
}
