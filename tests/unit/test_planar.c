/* The planar levee reduction (reductions/planar) and its rigidity
 * checker (src/check/rigidity.c): gadget fits, forward map on every
 * solution, no levee network for non-solutions, backward map, rigidity
 * certificates and hand-made layouts that break each condition. */
#include <stdio.h>
#include <stdlib.h>
#include "xt_test.h"
#include "xtrain/check.h"
#include "xtrain/network.h"
#include "xtrain/reduction.h"
#include "../../reductions/planar/planar.h"

static const xt_source_problem *x3;

static int parse(xt_clauses_t src, const char *text)
{
    xt_error_t err;
    return xt_source_parse(src, x3, text, strlen(text),
                           "test", &err);
}

/* Loss of the levee network with orientation bits o (0 = T) per gadget. */
static int levee_loss_zero(const xt_planar_layout_t lay,
                           const xt_instance_t inst, const int *o)
{
    xt_network_t net;
    xt_network_init(net);
    xt_error_t err;
    xt_network_resize(net, 2, 3 * lay->gadgets, 1, &err);
    net->activation = XT_ACT_RELU;
    for (int g = 0; g < lay->gadgets; g++)
        xt_planar_levee(net, lay, g, o[g]);
    mpq_t loss;
    mpq_init(loss);
    int rc = xt_network_loss(loss, NULL, net, inst, XT_LOSS_L2, &err);
    int zero = rc == XT_OK && mpq_sgn(loss) == 0;
    mpq_clear(loss);
    xt_network_clear(net);
    return zero;
}

/* Writes the certificate of lay to a temporary file and checks it. */
static int certificate_holds(const xt_planar_layout_t lay,
                             const xt_instance_t inst)
{
    char path[] = "/tmp/xt_planar_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        return -1;
    xt_planar_write_certificate(f, lay);
    fclose(f);
    xt_check_report_t rep;
    xt_check_report_init(rep);
    xt_error_t err;
    int rc = xt_check_certificate_file(rep, inst, path, &err);
    int ok = rc == XT_OK && rep->verified;
    xt_check_report_clear(rep);
    remove(path);
    return ok;
}

/* Every assignment: the levee network of the orientations it induces
 * fits exactly exactly when it is a 1-in-3 solution; on solutions the
 * forward map fits and the backward map returns the assignment. */
static void check_formula(const xt_clauses_t src)
{
    const xt_reduction *red = xt_reduction_find("planar-1in3");
    XT_CHECK(red != NULL);
    xt_instance_t inst;
    xt_instance_init(inst);
    xt_planar_layout_t lay;
    xt_planar_layout_init(lay);
    xt_error_t err;
    XT_CHECK_INT(red->map(red, inst, src, &err), XT_OK);
    XT_CHECK_INT(xt_planar_layout(lay, src, &err), XT_OK);
    int rigid = 0;
    XT_CHECK_INT(xt_planar_rigidity(&rigid, lay, inst, &err), XT_OK);
    XT_CHECK(rigid);
    XT_CHECK_INT(certificate_holds(lay, inst), 1);
    XT_CHECK_INT(inst->n, 103L * src->nclauses);
    xt_assignment_t a, back;
    xt_assignment_init(a);
    xt_assignment_init(back);
    xt_assignment_resize(a, src->nvars);
    xt_network_t net;
    xt_network_init(net);
    int *o = malloc(sizeof(int) * (size_t)lay->gadgets);
    mpq_t loss;
    mpq_init(loss);
    for (long bits = 0; bits < (1L << src->nvars); bits++) {
        for (int v = 0; v < src->nvars; v++)
            a->value[v] = (unsigned char)((bits >> v) & 1);
        for (int g = 0; g < lay->gadgets; g++)
            o[g] = !a->value[src->lits[g] - 1];
        int sol = x3->check(src, a);
        if (levee_loss_zero(lay, inst, o) != sol)
            XT_FAIL("assignment %ld: levee fit %d, solution %d", bits,
                    !sol, sol);
        if (!sol)
            continue;
        XT_CHECK_INT(red->forward(red, net, src, inst, a, &err), XT_OK);
        XT_CHECK_INT(xt_network_loss(loss, NULL, net, inst, XT_LOSS_L2,
                                     &err), XT_OK);
        XT_CHECK(mpq_sgn(loss) == 0);
        XT_CHECK_INT(red->backward(red, back, src, inst, net, &err), XT_OK);
        XT_CHECK(memcmp(back->value, a->value, (size_t)src->nvars) == 0);
    }
    mpq_clear(loss);
    free(o);
    xt_network_clear(net);
    xt_assignment_clear(a);
    xt_assignment_clear(back);
    xt_planar_layout_clear(lay);
    xt_instance_clear(inst);
}

static void test_formulas(void)
{
    static const char *const texts[] = {
        "p cnf 3 1\n1 2 3 0\n",
        "p cnf 6 3\n1 2 3 0\n3 4 5 0\n1 4 6 0\n",
        "p cnf 4 4\n1 2 3 0\n1 2 4 0\n1 3 4 0\n2 3 4 0\n",
    };
    for (int i = 0; i < 3; i++) {
        xt_clauses_t src;
        xt_clauses_init(src);
        XT_CHECK_INT(parse(src, texts[i]), XT_OK);
        check_formula(src);
        xt_clauses_clear(src);
    }
}

/* Random formulas whose variables all occur. */
static void test_random(void)
{
    uint64_t rng = xt_test_seed();
    long count = xt_test_scale(4);
    for (long t = 0; t < count; t++) {
        xt_clauses_t src;
        xt_clauses_init(src);
        int n = 3 + (int)(xt_test_rand(&rng) % 3);
        x3->random(src, &rng, n, (int)(t % 2));
        int used = 1;
        for (int v = 1; v <= src->nvars; v++) {
            int c = 0;
            for (int i = 0; i < 3 * src->nclauses; i++)
                c += src->lits[i] == v;
            used = used && c > 0;
        }
        if (used && src->nclauses <= 4)
            check_formula(src);
        xt_clauses_clear(src);
    }
}

/* A one-gadget layout with the given pivot, u1, nT and w. */
static void one_gadget(xt_planar_layout_t lay, int g, long px, long py,
                       long c, long e, long n0, long n1)
{
    mpq_set_si(lay->p[2 * g], px, 1);
    mpq_set_si(lay->p[2 * g + 1], py, 1);
    mpq_t *u = lay->u + 4 * g, *n = lay->n + 4 * g;
    mpq_set_si(u[0], c, 1);
    mpq_set_si(u[1], e, 1);
    mpq_set_si(u[2], -e, 1);
    mpq_set_si(u[3], c, 1);
    mpq_set_si(n[0], n0, 1);
    mpq_set_si(n[1], n1, 1);
    long dot = n0 * c + n1 * e, uu = c * c + e * e;
    mpq_set_si(n[2], 2 * dot * c, (unsigned long)uu);
    mpq_set_si(n[3], 2 * dot * e, (unsigned long)uu);
    mpq_canonicalize(n[2]);
    mpq_canonicalize(n[3]);
    mpq_sub(n[2], n[2], n[0]);
    mpq_sub(n[3], n[3], n[1]);
    mpq_set_si(lay->w[g], 1, 4);
}

static int rigid(const xt_planar_layout_t lay)
{
    int rigid = -1;
    xt_error_t err;
    xt_planar_rigidity(&rigid, lay, NULL, &err);
    if (!rigid && getenv("XT_PLANAR_VERBOSE"))
        fprintf(stderr, "rigidity: %s\n", err.message);
    return rigid;
}

/* Hand-made layouts: each breaks one condition. */
static void test_broken_layouts(void)
{
    xt_planar_layout_t lay;
    xt_planar_layout_init(lay);
    xt_instance_t inst;
    xt_instance_init(inst);
    xt_error_t err;
    /* One gadget (u1 = (1, 0), nT = (1, 2)): T and F levees both fit. */
    xt_planar_layout_resize(lay, 1, 0);
    one_gadget(lay, 0, 0, 0, 1, 0, 1, 2);
    XT_CHECK_RAT(lay->n[2], "1");
    XT_CHECK_RAT(lay->n[3], "-2");
    XT_CHECK_INT(rigid(lay), 1);
    xt_planar_instance(inst, lay, &err);
    XT_CHECK_INT(inst->n, XT_PLANAR_GADGET_POINTS);
    int t = 0, f = 1;
    XT_CHECK(levee_loss_zero(lay, inst, &t));
    XT_CHECK(levee_loss_zero(lay, inst, &f));
    /* nT perpendicular to u2: not oblique. */
    one_gadget(lay, 0, 0, 0, 1, 0, 1, 0);
    XT_CHECK_INT(rigid(lay), 0);
    /* Two translated copies: the line through corresponding kink points
     * has the jumps both require. */
    xt_planar_layout_resize(lay, 2, 0);
    one_gadget(lay, 0, 0, 0, 1, 0, 1, 2);
    one_gadget(lay, 1, 100, 37, 1, 0, 1, 2);
    XT_CHECK_INT(rigid(lay), 0);
    /* The same with a different axis: rigid. */
    one_gadget(lay, 1, 100, 37, 2, 1, 1, 2);
    XT_CHECK_INT(rigid(lay), 1);
    /* A point of gadget 1 inside gadget 0's T strip (the pivot on its
     * centre line n . x = 0: (2, -1) * 50). */
    one_gadget(lay, 1, 100, -50, 2, 1, 1, 2);
    XT_CHECK_INT(rigid(lay), 0);
    /* Three gadgets with collinear pivots: a line meets three centre
     * kink intervals. */
    xt_planar_layout_resize(lay, 3, 0);
    one_gadget(lay, 0, 0, 0, 1, 0, 1, 2);
    one_gadget(lay, 1, 100, 37, 2, 1, 1, 3);
    one_gadget(lay, 2, 200, 74, 3, 1, 2, 1);
    XT_CHECK_INT(rigid(lay), 0);
    one_gadget(lay, 2, 130, 190, 3, 1, 2, 1);
    XT_CHECK_INT(rigid(lay), 1);
    /* A wiring point off its member's centre line. */
    xt_planar_layout_resize(lay, 1, 1);
    one_gadget(lay, 0, 0, 0, 1, 0, 1, 2);
    mpq_set_si(lay->wire[0], 20, 1);
    mpq_set_si(lay->wire[1], -10, 1);
    lay->member[0] = 0;
    XT_CHECK_INT(rigid(lay), 1);
    lay->member[0] = 1;
    XT_CHECK_INT(rigid(lay), 0);
    xt_instance_clear(inst);
    xt_planar_layout_clear(lay);
}

/* The empty formula has no instance (a known limit, asserted as
 * observed), and an unused variable does not change the size 103 m. */
static void test_known_limits(void)
{
    const xt_reduction *red = xt_reduction_find("planar-1in3");
    xt_clauses_t src;
    xt_clauses_init(src);
    xt_instance_t inst;
    xt_instance_init(inst);
    xt_error_t err;
    XT_CHECK_INT(parse(src, "p cnf 1 0\n"), XT_OK);
    XT_CHECK_INT(red->map(red, inst, src, &err), XT_ERR_INPUT);
    XT_CHECK_INT(parse(src, "p cnf 4 1\n1 2 3 0\n"), XT_OK);
    XT_CHECK_INT(red->map(red, inst, src, &err), XT_OK);
    XT_CHECK_INT(inst->n, 103L * 1);
    xt_instance_clear(inst);
    xt_clauses_clear(src);
}

int main(void)
{
    xt_test_seed();
    x3 = xt_source_find("1in3sat");
    test_broken_layouts();
    test_formulas();
    test_random();
    test_known_limits();
    return xt_test_finish("test_planar");
}
