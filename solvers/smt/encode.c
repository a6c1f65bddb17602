/* Training as an SMT-LIB 2 formula over the reals.
 *
 * Variables are the weights: w_J_T, b_J (hidden layer), a_O_J (output
 * weights), c_O (output biases); indices are 1-based.  Defined terms,
 * per point I: z_I_J = w_J . x_I + b_J, the activation h_I_J, the output
 * f_I_O and the residual r_I_O = f_I_O - y_I_O.  ReLU is written as
 * (ite (> z 0) z 0), or with h declared and h >= 0, h >= z, (h = 0 or
 * h = z).  A threshold unit contributes (ite (> z 0) a 0), which keeps
 * the formula linear.
 *
 * With one output and no weight bound the output weight of a ReLU neuron
 * is +1 or -1 without loss of generality, because a relu(t) equals
 * sign(a) relu(|a| t) (positive homogeneity), so it becomes the Boolean
 * s_J and the product a h becomes (ite s_J h (- h)); with a linear
 * activation a = 1 suffices, because the sign can move into w and b.
 * Convex instances fix every output weight to 1.  A weight on an edge
 * that the instance's architecture leaves out is defined as 0, not
 * declared, and a missing output edge contributes 0.  The loss is
 * compared with the target: sum of r^2 (l2), sum of e with e >= r and
 * e >= -r (l1), |r| <= target for each r (linf), or the number of points
 * with some r != 0 (zero-one). */
#include <stdlib.h>
#include <string.h>
#include "smt_internal.h"

void xt_smt_options_init(xt_smt_options_t opt)
{
    memset(opt, 0, sizeof *opt);
    opt->relu = XT_SMT_RELU_ITE;
    mpq_init(opt->weight_bound);
    opt->use_enum_bound = 1;
    opt->polish = 1;
    opt->max_queries = 60;
    opt->gap_bits = 20;
}

void xt_smt_options_clear(xt_smt_options_t opt)
{
    mpq_clear(opt->weight_bound);
}

void xt_smt_weight_name(char buf[48], char kind, int i, int j)
{
    if (kind == 'w' || kind == 'a')
        snprintf(buf, 48, "%c_%d_%d", kind, i + 1, j + 1);
    else
        snprintf(buf, 48, "%c_%d", kind, i + 1);
}

xt_smt_output_form xt_smt_output_weights(const xt_instance_t inst,
                                         const xt_smt_options_t opt)
{
    if (inst->convex)
        return OUT_ONE;
    if (inst->m != 1 || opt->has_weight_bound)
        return OUT_FREE;
    if (inst->activation == XT_ACT_LINEAR)
        return OUT_ONE;
    if (inst->activation == XT_ACT_RELU)
        return OUT_SIGN;
    return OUT_FREE;
}

const char *xt_smt_logic(const xt_instance_t inst,
                         const xt_algebraic_struct *target,
                         const xt_smt_options_t opt)
{
    int linear = inst->loss != XT_LOSS_L2 &&
                 (inst->activation == XT_ACT_THRESHOLD ||
                  xt_smt_output_weights(inst, opt) != OUT_FREE);

    if (target && target->degree > 1)
        linear = 0;
    return linear ? "QF_LRA" : "QF_NRA";
}

/* Writes q as an SMT-LIB real constant: 2.0, (- 2.0), (/ 1.0 3.0). */
static void write_real(FILE *f, const mpq_t q)
{
    int negative = mpq_sgn(q) < 0;
    mpz_t numerator;

    mpz_init(numerator);
    mpz_abs(numerator, mpq_numref(q));
    if (negative)
        fputs("(- ", f);
    if (mpz_cmp_ui(mpq_denref(q), 1) == 0) {
        mpz_out_str(f, 10, numerator);
        fputs(".0", f);
    } else {
        fputs("(/ ", f);
        mpz_out_str(f, 10, numerator);
        fputs(".0 ", f);
        mpz_out_str(f, 10, mpq_denref(q));
        fputs(".0)", f);
    }
    if (negative)
        fputs(")", f);
    mpz_clear(numerator);
}

/* The writer's state: the stream and what the formula looks like. */
typedef struct {
    FILE *f;
    const xt_instance_struct *inst;
    const xt_smt_options_struct *opt;
    xt_smt_output_form out;
    int d, k, m;
} encoder;

static void declare(encoder *e, const char *name, const char *sort)
{
    fprintf(e->f, "(declare-fun %s () %s)\n", name, sort);
}

/* Declares a real weight, or defines it as 0 when its edge is missing
 * from the instance's architecture, so that it is no variable. */
static void declare_weight(encoder *e, const char *name, int edge)
{
    if (edge)
        declare(e, name, "Real");
    else
        fprintf(e->f, "(define-fun %s () Real 0.0)\n", name);
}

static void declare_weights(encoder *e)
{
    char name[48];

    for (int j = 0; j < e->k; j++) {
        for (int t = 0; t < e->d; t++) {
            xt_smt_weight_name(name, 'w', j, t);
            declare_weight(e, name, xt_instance_input_edge(e->inst, j, t));
        }
        xt_smt_weight_name(name, 'b', j, 0);
        declare(e, name, "Real");
    }
    for (int o = 0; o < e->m && e->out == OUT_FREE; o++)
        for (int j = 0; j < e->k; j++) {
            xt_smt_weight_name(name, 'a', o, j);
            declare_weight(e, name, xt_instance_output_edge(e->inst, o, j));
        }
    for (int j = 0; j < e->k && e->out == OUT_SIGN; j++) {
        xt_smt_weight_name(name, 's', j, 0);
        declare(e, name, "Bool");
    }
    for (int o = 0; o < e->m && e->inst->output_bias; o++) {
        xt_smt_weight_name(name, 'c', o, 0);
        declare(e, name, "Real");
    }
}

/* Asserts -bound <= v <= bound for the real variable v. */
static void bound_variable(encoder *e, const char *name)
{
    fputs("(assert (and (<= (- ", e->f);
    write_real(e->f, e->opt->weight_bound);
    fprintf(e->f, ") %s) (<= %s ", name, name);
    write_real(e->f, e->opt->weight_bound);
    fputs(")))\n", e->f);
}

/* Bounds every real weight variable. */
static void bound_weights(encoder *e)
{
    char name[48];

    for (int j = 0; j < e->k; j++) {
        for (int t = 0; t < e->d; t++) {
            xt_smt_weight_name(name, 'w', j, t);
            bound_variable(e, name);
        }
        xt_smt_weight_name(name, 'b', j, 0);
        bound_variable(e, name);
    }
    for (int o = 0; o < e->m && e->out == OUT_FREE; o++)
        for (int j = 0; j < e->k; j++) {
            xt_smt_weight_name(name, 'a', o, j);
            bound_variable(e, name);
        }
    for (int o = 0; o < e->m && e->inst->output_bias; o++) {
        xt_smt_weight_name(name, 'c', o, 0);
        bound_variable(e, name);
    }
}

/* z_I_J: the affine pre-activation of neuron j at point i. */
static void define_preactivation(encoder *e, long i, int j)
{
    const mpq_t *x = (const mpq_t *)e->inst->x + i * e->d;
    int terms = 1;

    for (int t = 0; t < e->d; t++)
        terms += mpq_sgn(x[t]) != 0;
    fprintf(e->f, "(define-fun z_%ld_%d () Real ", i + 1, j + 1);
    if (terms > 1)
        fputs("(+", e->f);
    for (int t = 0; t < e->d; t++) {
        if (mpq_sgn(x[t]) == 0)
            continue;
        if (mpq_cmp_ui(x[t], 1, 1) == 0) {
            fprintf(e->f, " w_%d_%d", j + 1, t + 1);
        } else {
            fputs(" (* ", e->f);
            write_real(e->f, x[t]);
            fprintf(e->f, " w_%d_%d)", j + 1, t + 1);
        }
    }
    fprintf(e->f, "%sb_%d%s)\n", terms > 1 ? " " : "", j + 1,
            terms > 1 ? ")" : "");
}

/* h_I_J for ReLU and linear units (threshold units have none). */
static void define_activation(encoder *e, long i, int j)
{
    long p = i + 1;
    int n = j + 1;

    switch (e->inst->activation) {
    case XT_ACT_LINEAR:
        fprintf(e->f, "(define-fun h_%ld_%d () Real z_%ld_%d)\n", p, n, p,
                n);
        break;
    case XT_ACT_RELU:
        if (e->opt->relu == XT_SMT_RELU_ITE) {
            fprintf(e->f, "(define-fun h_%ld_%d () Real (ite (> z_%ld_%d "
                    "0.0) z_%ld_%d 0.0))\n", p, n, p, n, p, n);
            break;
        }
        fprintf(e->f, "(declare-fun h_%ld_%d () Real)\n"
                "(assert (and (>= h_%ld_%d 0.0) (>= h_%ld_%d z_%ld_%d) "
                "(or (= h_%ld_%d 0.0) (= h_%ld_%d z_%ld_%d))))\n",
                p, n, p, n, p, n, p, n, p, n, p, n, p, n);
        break;
    default:
        break;
    }
}

/* The contribution of neuron j to output o at point i. */
static void write_contribution(encoder *e, long i, int o, int j)
{
    long p = i + 1;
    int n = j + 1;

    if (!xt_instance_output_edge(e->inst, o, j)) {
        fputs(" 0.0", e->f);
        return;
    }
    if (e->inst->activation == XT_ACT_THRESHOLD) {
        fprintf(e->f, " (ite (> z_%ld_%d 0.0) ", p, n);
        if (e->out == OUT_FREE)
            fprintf(e->f, "a_%d_%d 0.0)", o + 1, n);
        else
            fputs("1.0 0.0)", e->f);
        return;
    }
    if (e->out == OUT_ONE)
        fprintf(e->f, " h_%ld_%d", p, n);
    else if (e->out == OUT_SIGN)
        fprintf(e->f, " (ite s_%d h_%ld_%d (- h_%ld_%d))", n, p, n, p, n);
    else
        fprintf(e->f, " (* a_%d_%d h_%ld_%d)", o + 1, n, p, n);
}

/* f_I_O and r_I_O for every output of point i. */
static void define_outputs(encoder *e, long i)
{
    for (int o = 0; o < e->m; o++) {
        int terms = e->k + (e->inst->output_bias ? 1 : 0);
        fprintf(e->f, "(define-fun f_%ld_%d () Real ", i + 1, o + 1);
        if (terms == 0)
            fputs("0.0", e->f);
        if (terms > 1)
            fputs("(+", e->f);
        if (e->inst->output_bias)
            fprintf(e->f, "%sc_%d", terms > 1 ? " " : "", o + 1);
        for (int j = 0; j < e->k; j++)
            write_contribution(e, i, o, j);
        fputs(terms > 1 ? "))\n" : ")\n", e->f);
        fprintf(e->f, "(define-fun r_%ld_%d () Real (- f_%ld_%d ", i + 1,
                o + 1, i + 1, o + 1);
        write_real(e->f, e->inst->y[i * e->m + o]);
        fputs("))\n", e->f);
    }
}

/* Writes the target: a constant, or the variable gamma. */
static void write_target(encoder *e, const xt_algebraic_t target)
{
    if (target->degree == 0)
        write_real(e->f, target->lo);
    else
        fputs("gamma", e->f);
}

/* Declares gamma as the root of target's polynomial in its interval. */
static void declare_target(encoder *e, const xt_algebraic_t target)
{
    mpq_t q;

    declare(e, "gamma", "Real");
    mpq_init(q);
    fputs("(assert (and (< ", e->f);
    write_real(e->f, target->lo);
    fputs(" gamma) (< gamma ", e->f);
    write_real(e->f, target->hi);
    fputs(") (= (+", e->f);
    for (int i = 0; i <= target->degree; i++) {
        mpq_set_z(q, target->poly[i]);
        fputs(" (*", e->f);
        fputc(' ', e->f);
        write_real(e->f, q);
        for (int p = 0; p < i; p++)
            fputs(" gamma", e->f);
        if (i == 0)
            fputs(" 1.0", e->f);
        fputc(')', e->f);
    }
    fputs(") 0.0)))\n", e->f);
    mpq_clear(q);
}

/* Asserts the loss comparison. */
static void assert_loss(encoder *e, const xt_algebraic_t target,
                        int strict)
{
    const char *cmp = strict ? "<" : "<=";
    long n = e->inst->n;
    int m = e->m;

    if (e->inst->loss == XT_LOSS_LINF) {
        for (long i = 0; i < n; i++)
            for (int o = 0; o < m; o++) {
                fprintf(e->f, "(assert (and (%s r_%ld_%d ", cmp, i + 1,
                        o + 1);
                write_target(e, target);
                fprintf(e->f, ") (%s (- r_%ld_%d) ", cmp, i + 1, o + 1);
                write_target(e, target);
                fputs(")))\n", e->f);
            }
        /* the loss is at least 0, and is 0 when there is no residual */
        fprintf(e->f, "(assert (%s 0.0 ", cmp);
        write_target(e, target);
        fputs("))\n", e->f);
        return;
    }
    if (e->inst->loss == XT_LOSS_L1)
        for (long i = 0; i < n; i++)
            for (int o = 0; o < m; o++)
                fprintf(e->f, "(declare-fun e_%ld_%d () Real)\n(assert "
                        "(and (>= e_%ld_%d r_%ld_%d) (>= e_%ld_%d (- "
                        "r_%ld_%d))))\n", i + 1, o + 1, i + 1, o + 1,
                        i + 1, o + 1, i + 1, o + 1, i + 1, o + 1);
    fprintf(e->f, "(assert (%s (+ 0.0", cmp);
    for (long i = 0; i < n; i++) {
        if (e->inst->loss == XT_LOSS_ZERO_ONE) {
            fputs(" (ite (and", e->f);
            for (int o = 0; o < m; o++)
                fprintf(e->f, " (= r_%ld_%d 0.0)", i + 1, o + 1);
            fputs(") 0.0 1.0)", e->f);
            continue;
        }
        for (int o = 0; o < m; o++) {
            if (e->inst->loss == XT_LOSS_L2)
                fprintf(e->f, " (* r_%ld_%d r_%ld_%d)", i + 1, o + 1, i + 1,
                        o + 1);
            else
                fprintf(e->f, " e_%ld_%d", i + 1, o + 1);
        }
    }
    fputs(") ", e->f);
    write_target(e, target);
    fputs("))\n", e->f);
}

static int check_encodable(const xt_instance_t inst, xt_error_t *err)
{
    if (inst->hidden < 1) {
        xt_error_set(err, "number of hidden neurons not set: add \"hidden "
                     "K\" to the instance or pass --hidden K");
        return XT_ERR_INPUT;
    }
    if ((unsigned)inst->loss > XT_LOSS_ZERO_ONE ||
        (unsigned)inst->activation > XT_ACT_LINEAR) {
        xt_error_set(err, "unknown loss or activation code");
        return XT_ERR_INPUT;
    }
    return xt_instance_check_architecture(inst, err);
}

int xt_smt_write_body(FILE *stream, const xt_instance_t inst,
                      const xt_algebraic_t target, int strict,
                      const xt_smt_options_t opt, xt_error_t *err)
{
    encoder e = {stream, inst, opt, xt_smt_output_weights(inst, opt), inst->d,
                 inst->hidden, inst->m};

    if (check_encodable(inst, err) != XT_OK)
        return XT_ERR_INPUT;
    declare_weights(&e);
    if (opt->has_weight_bound)
        bound_weights(&e);
    if (target->degree > 0)
        declare_target(&e, target);
    for (long i = 0; i < inst->n; i++) {
        for (int j = 0; j < e.k; j++) {
            define_preactivation(&e, i, j);
            define_activation(&e, i, j);
        }
        define_outputs(&e, i);
    }
    assert_loss(&e, target, strict);
    return XT_OK;
}

int xt_smt_write(FILE *stream, const xt_instance_t inst,
                 const xt_algebraic_t target, int strict,
                 const xt_smt_options_t opt, xt_error_t *err)
{
    if (check_encodable(inst, err) != XT_OK)
        return XT_ERR_INPUT;
    fprintf(stream, "; xtrain: does a two-layer network with %d %s "
            "neuron%s reach %s loss %s ", inst->hidden,
            xt_activation_name(inst->activation),
            inst->hidden == 1 ? "" : "s", xt_loss_name(inst->loss),
            strict ? "<" : "<=");
    xt_algebraic_print(stream, target);
    fprintf(stream, " on %ld points (d = %d, m = %d%s%s)?\n", inst->n,
            inst->d, inst->m, inst->output_bias ? ", output bias" : "",
            inst->convex ? ", convex" : "");
    fprintf(stream, "(set-info :smt-lib-version 2.6)\n"
            "(set-option :produce-models true)\n(set-logic %s)\n",
            xt_smt_logic(inst, target, opt));
    fputs("(set-info :source |generated by xtrain export|)\n", stream);
    if (xt_smt_write_body(stream, inst, target, strict, opt, err) != XT_OK)
        return XT_ERR_INPUT;
    /* no (get-model): after unsat it is an error in cvc5 */
    fputs("(check-sat)\n; (get-model) prints a network after sat\n(exit)\n",
          stream);
    return XT_OK;
}
