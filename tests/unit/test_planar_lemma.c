/* The gadget lemma of the planar levee reduction, checked mechanically
 * with Z3 on single gadgets (docs/reductions.md, "Planar 1-in-3 SAT with
 * rotated levees"): with exact fit (linf loss 0) two ReLUs cannot fit a
 * gadget's data, three can, and every fit with three ReLUs has the three
 * breaklines of the T levee or the three of the F levee.  The last claim
 * is the SMT query "fits, and neither the T lines nor the F lines are
 * all breaklines", which must be unsatisfiable; as a control, excluding
 * only one orientation must stay satisfiable. */
#include <stdio.h>
#include <stdlib.h>
#include <z3.h>
#include "xt_test.h"
#include "xtrain/smt.h"
#include "../../reductions/planar/planar.h"

/* Prints q as an SMT-LIB real term. */
static void smt_rat(FILE *f, const mpq_t q)
{
    if (mpq_sgn(q) < 0)
        fputs("(- ", f);
    mpz_t a;
    mpz_init(a);
    mpz_abs(a, mpq_numref(q));
    gmp_fprintf(f, "(/ %Zd.0 %Zd.0)", a, mpq_denref(q));
    if (mpq_sgn(q) < 0)
        fputs(")", f);
    mpz_clear(a);
}

/* Writes "neuron j's breakline is the line n . x + c = 0" (n[0] != 0 or
 * n[1] != 0): (w_j, b_j) is a nonzero multiple of (n, c). */
static void same_line(FILE *f, int j, const mpq_t *n, const mpq_t c)
{
    int t = mpq_sgn(n[0]) ? 0 : 1;
    fprintf(f, "(and (= (* w_%d_1 ", j);
    smt_rat(f, n[1]);
    fprintf(f, ") (* w_%d_2 ", j);
    smt_rat(f, n[0]);
    fprintf(f, ")) (= (* w_%d_%d ", j, t + 1);
    smt_rat(f, c);
    fprintf(f, ") (* b_%d ", j);
    smt_rat(f, n[t]);
    fprintf(f, ")) (not (= w_%d_%d 0.0)))", j, t + 1);
}

/* Writes "all three lines of orientation o are breaklines". */
static void all_lines(FILE *f, const xt_planar_layout_t lay, int g, int o)
{
    const mpq_t *n = lay->n + 4 * g + 2 * o;
    mpq_t c, t;
    mpq_inits(c, t, NULL);
    fputs("(and", f);
    for (int s = -1; s <= 1; s++) {
        /* the line n . x + s w - n . p = 0 */
        mpq_mul(c, n[0], lay->p[2 * g]);
        mpq_mul(t, n[1], lay->p[2 * g + 1]);
        mpq_add(c, c, t);
        mpq_set_si(t, s, 1);
        mpq_mul(t, t, lay->w[g]);
        mpq_sub(c, t, c);
        fputs(" (or", f);
        for (int j = 1; j <= 3; j++) {
            fputc(' ', f);
            same_line(f, j, n, c);
        }
        fputs(")", f);
    }
    fputs(")", f);
    mpq_clears(c, t, NULL);
}

/* Runs the gadget's formula with the extra assertion (NULL: none) and
 * returns Z3's answer: 1 sat, 0 unsat, -1 otherwise. */
static int query(const xt_instance_t inst, const xt_planar_layout_t lay,
                 int g, const int *exclude)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    xt_smt_options_t opt;
    xt_smt_options_init(opt);
    xt_algebraic_t target;
    xt_algebraic_init(target);
    xt_error_t err;
    int rc = xt_smt_write(f, inst, target, 0, opt, &err);
    fflush(f);
    char *cut = strstr(text, "(check-sat)");
    if (cut)
        fseek(f, (long)(cut - text), SEEK_SET);
    for (int o = 0; o < 2; o++)
        if (exclude[o]) {
            fputs("(assert (not ", f);
            all_lines(f, lay, g, o);
            fputs("))\n", f);
        }
    fputs("(check-sat)\n", f);
    fclose(f);
    int answer = -1;
    if (rc == XT_OK && cut) {
        Z3_config cfg = Z3_mk_config();
        Z3_context ctx = Z3_mk_context(cfg);
        Z3_del_config(cfg);
        Z3_string r = Z3_eval_smtlib2_string(ctx, text);
        answer = !strncmp(r, "sat", 3) ? 1 : !strncmp(r, "unsat", 5) ? 0 : -1;
        Z3_del_context(ctx);
    }
    free(text);
    xt_algebraic_clear(target);
    xt_smt_options_clear(opt);
    return answer;
}

/* The data of gadget g alone, loss linf target 0, k neurons. */
static void gadget_instance(xt_instance_t inst, const xt_planar_layout_t lay,
                            int g, int k)
{
    xt_error_t err;
    xt_instance_resize(inst, XT_PLANAR_GADGET_POINTS, 2, 1, &err);
    for (int i = 0; i < XT_PLANAR_GADGET_POINTS; i++)
        xt_planar_gadget_point(inst->x + 2 * i, inst->y[i], lay, g, i);
    inst->hidden = k;
    inst->activation = XT_ACT_RELU;
    inst->loss = XT_LOSS_LINF;
    inst->has_loss = inst->has_activation = inst->has_target = 1;
    mpq_set_ui(inst->target, 0, 1);
    inst->output_bias = 0;
    inst->has_output_bias = 1;
}

/* The backward reading on the network Z3 finds for the gadget alone: a
 * breakline of the T or the F levee through the pivot. */
static void solver_orientation(const xt_instance_t inst,
                               const xt_planar_layout_t lay, int g)
{
    xt_smt_options_t opt;
    xt_smt_options_init(opt);
    xt_algebraic_t target;
    xt_algebraic_init(target);
    xt_smt_answer_t ans;
    xt_smt_answer_init(ans);
    xt_network_t net;
    xt_network_init(net);
    xt_error_t err;
    int o = -1;
    if (xt_smt_decide(ans, inst, target, 0, opt, 60, &err) != XT_OK ||
        ans->status != XT_SMT_SAT ||
        xt_algebraic_network_get_network(net, ans->network, &err) != XT_OK)
        XT_FAIL("gadget %d: no rational network from Z3", g);
    else if (xt_planar_orientation(&o, net, lay, g, &err) != XT_OK)
        XT_FAIL("gadget %d: %s", g, err.message);
    xt_network_clear(net);
    xt_smt_answer_clear(ans);
    xt_algebraic_clear(target);
    xt_smt_options_clear(opt);
}

/* Checks one gadget; the default run checks the three gadgets of the
 * first clause, XTRAIN_TEST_SCALE=3 all nine. */
static void check_gadget(const xt_planar_layout_t lay, int g)
{
    xt_instance_t inst;
    xt_instance_init(inst);
    static const int none[2] = {0, 0}, no_t[2] = {1, 0}, no_f[2] = {0, 1},
                     both[2] = {1, 1};
    gadget_instance(inst, lay, g, 2);
    if (query(inst, lay, g, none) != 0)
        XT_FAIL("gadget %d: two ReLUs fit", g);
    gadget_instance(inst, lay, g, 3);
    if (query(inst, lay, g, none) != 1)
        XT_FAIL("gadget %d: three ReLUs do not fit", g);
    solver_orientation(inst, lay, g);
    if (query(inst, lay, g, no_t) != 1 || query(inst, lay, g, no_f) != 1)
        XT_FAIL("gadget %d: one orientation alone is missing", g);
    if (query(inst, lay, g, both) != 0)
        XT_FAIL("gadget %d: a fit with neither the T nor the F lines", g);
    xt_instance_clear(inst);
}

int main(void)
{
    xt_test_seed();
    static const char *const texts[] = {
        "p cnf 6 3\n1 2 3 0\n3 4 5 0\n1 4 6 0\n",
    };
    const xt_source_problem *x3 = xt_source_find("1in3sat");
    for (int i = 0; i < 1; i++) {
        xt_clauses_t src;
        xt_clauses_init(src);
        xt_error_t err;
        XT_CHECK_INT(xt_source_parse(src, x3, texts[i], strlen(texts[i]),
                                     "test", &err), XT_OK);
        xt_planar_layout_t lay;
        xt_planar_layout_init(lay);
        XT_CHECK_INT(xt_planar_layout(lay, src, &err), XT_OK);
        long count = xt_test_scale(3);
        for (int g = 0; g < lay->gadgets && g < count; g++)
            check_gadget(lay, g);
        xt_planar_layout_clear(lay);
        xt_clauses_clear(src);
    }
    return xt_test_finish("test_planar_lemma");
}
