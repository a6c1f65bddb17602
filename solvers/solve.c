/* The solver dispatcher: option and result objects, and the choice of a
 * method for --method auto. */
#include <string.h>
#include "xtrain/solve.h"
#include "xtrain/smt.h"

void xt_solve_options_init(xt_solve_options *opt)
{
    memset(opt, 0, sizeof *opt);
    opt->method = XT_METHOD_AUTO;
}

void xt_solve_result_init(xt_solve_result_t res)
{
    memset(res, 0, sizeof *res);
    xt_network_init(res->network);
    mpq_init(res->loss);
    mpq_init(res->lower);
    res->status = XT_SOLVE_UNKNOWN;
    res->method_name = "none";
}

void xt_solve_result_clear(xt_solve_result_t res)
{
    xt_network_clear(res->network);
    mpq_clear(res->loss);
    mpq_clear(res->lower);
}

const char *xt_solve_status_name(xt_solve_status status)
{
    switch (status) {
    case XT_SOLVE_OPTIMAL: return "optimal";
    case XT_SOLVE_FEASIBLE: return "feasible";
    case XT_SOLVE_INFEASIBLE: return "infeasible";
    default: return "unknown";
    }
}

static const struct {
    const char *name;
    xt_method method;
} method_names[] = {
    {"auto", XT_METHOD_AUTO},   {"enum", XT_METHOD_ENUM},
    {"convex", XT_METHOD_CONVEX}, {"threshold", XT_METHOD_THRESHOLD},
    {"smt", XT_METHOD_SMT},     {"mip", XT_METHOD_MIP},
};

int xt_method_parse(xt_method *out, const char *name)
{
    for (size_t i = 0; i < sizeof method_names / sizeof *method_names; i++)
        if (!strcmp(name, method_names[i].name)) {
            *out = method_names[i].method;
            return 0;
        }
    return -1;
}

/* Patterns the enumeration solver would examine for a convex instance,
 * estimated for points in general position: multisets of k out of
 * 2 sum_{i<=d} C(n-1, i) dichotomies (Cover, 1965). */
static double convex_enum_patterns(const xt_instance_t inst)
{
    double sets = 0, binom = 1;
    for (int i = 0; i <= inst->d && i < inst->n; i++) {
        sets += binom;
        binom = binom * (double)(inst->n - 1 - i) / (i + 1);
    }
    sets *= 2;
    double patterns = 1;
    for (int j = 0; j < inst->hidden; j++)
        patterns = patterns * (sets + j) / (j + 1);
    return patterns;
}

/* Whether --method auto should run the convex search: exact fitting of a
 * convex one-output ReLU instance with more patterns than
 * XT_AUTO_CONVEX_PATTERNS for the enumeration. */
#define XT_AUTO_CONVEX_PATTERNS 2000.0
static int auto_picks_convex(const xt_instance_t inst)
{
    return inst->convex && inst->has_target && !mpq_sgn(inst->target) &&
           inst->m == 1 && inst->activation == XT_ACT_RELU &&
           inst->hidden >= 1 && inst->hidden <= 16 &&
           convex_enum_patterns(inst) > XT_AUTO_CONVEX_PATTERNS;
}

int xt_solve(xt_solve_result_t res, const xt_instance_t inst,
             const xt_solve_options *opt, xt_error_t *err)
{
    /* Only the SMT backend honours an architecture section; the other
     * methods would fit a fully connected network. */
    if (inst->has_architecture && (opt->method == XT_METHOD_AUTO ||
                                   opt->method == XT_METHOD_SMT))
        return xt_solve_smt(res, inst, opt, err);
    if (inst->has_architecture) {
        xt_error_set(err, "the instance has an architecture section, which "
                     "only --method smt supports");
        return XT_ERR_INPUT;
    }
    switch (opt->method) {
    case XT_METHOD_AUTO:
        /* The threshold solver minimizes only the 0/1 loss.  The SMT
         * backend handles the other losses there, and linear units. */
        if (inst->activation == XT_ACT_THRESHOLD &&
            inst->loss == XT_LOSS_ZERO_ONE)
            return xt_solve_threshold(res, inst, opt, err);
        if (inst->activation != XT_ACT_RELU)
            return xt_solve_smt(res, inst, opt, err);
        if (auto_picks_convex(inst))
            return xt_solve_convex(res, inst, opt, err);
        return xt_solve_enum(res, inst, opt, err);
    case XT_METHOD_ENUM:
        return xt_solve_enum(res, inst, opt, err);
    case XT_METHOD_CONVEX:
        return xt_solve_convex(res, inst, opt, err);
    case XT_METHOD_SMT:
        return xt_solve_smt(res, inst, opt, err);
    case XT_METHOD_THRESHOLD:
        return xt_solve_threshold(res, inst, opt, err);
    case XT_METHOD_MIP:
        return xt_solve_mip(res, inst, opt, err);
    default:
        xt_error_set(err, "method not available in this build; use "
                     "--method enum");
        return XT_ERR_INPUT;
    }
}
