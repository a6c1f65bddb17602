/* Real algebraic numbers: root isolation against hand-derived roots,
 * rational root detection, exact comparisons, decimals, MPFR enclosures
 * and the root-obj text form.  Also the workarounds for Z3 4.8.12 (root
 * index, string buffers, terms taken from vectors), and networks with
 * algebraic weights (file format and exact loss).  Random cases
 * are products of known linear and quadratic factors, so every root is
 * known in closed form. */
#include <math.h>
#include "xt_test.h"
#include "xtrain/smt.h"
#include "../../solvers/smt/smt_internal.h"

static void parse_ok(xt_algebraic_t a, const char *text)
{
    xt_error_t err;

    if (xt_algebraic_parse(a, text, strlen(text), &err) != XT_OK)
        XT_FAIL("cannot parse %s: %s", text, err.message);
}

static void parse_fails(const char *text)
{
    xt_algebraic_t a;
    xt_error_t err;

    xt_algebraic_init(a);
    if (xt_algebraic_parse(a, text, strlen(text), &err) != XT_ERR_INPUT)
        XT_FAIL("%s was accepted", text);
    xt_algebraic_clear(a);
}

static void check_print(const xt_algebraic_t a, const char *want)
{
    char *got = xt_algebraic_to_string(a);

    XT_CHECK_STR(got, want);
    free(got);
}

static void check_decimal(const xt_algebraic_t a, int digits,
                          const char *want)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);

    xt_algebraic_print_decimal(f, a, digits);
    fclose(f);
    XT_CHECK_STR(text, want);
    free(text);
}

/* sqrt 2, the golden ratio and rational roots written as root-obj. */
static void test_parse_and_print(void)
{
    xt_algebraic_t a;

    xt_algebraic_init(a);
    parse_ok(a, "(root-obj (+ (^ x 2) (- 2)) 2)");
    check_print(a, "(root-obj (+ (^ x 2) (- 2)) 2)");
    check_decimal(a, 10, "1.4142135623...");
    XT_CHECK_INT(xt_algebraic_root_index(a), 2);
    parse_ok(a, "(root-obj (+ (^ x 2) (- 2)) 1)");
    check_decimal(a, 5, "-1.41421...");
    parse_ok(a, "(root-obj (+ (^ x 2) x (- 1)) 2)");
    check_decimal(a, 20, "0.61803398874989484820...");
    /* (x - 1)(x^2 - 2): its second root is the rational 1 */
    parse_ok(a, "(root-obj (* (- x 1) (+ (^ x 2) (- 2))) 2)");
    XT_CHECK(xt_algebraic_get_q(NULL, a));
    check_print(a, "1");
    /* (2x - 1)^3 has the triple root 1/2 */
    parse_ok(a, "(root-obj (^ (- (* 2 x) 1) 3) 1)");
    check_print(a, "1/2");
    parse_ok(a, "-3/4");
    check_print(a, "-3/4");
    check_decimal(a, 3, "-0.750");
    /* errors: no real root, index too large, another variable, open
     * parenthesis, degree too high, not a number */
    parse_fails("(root-obj (+ (^ x 2) 1) 1)");
    parse_fails("(root-obj (+ (^ x 2) (- 2)) 3)");
    parse_fails("(root-obj (+ (^ y 2) 1) 1)");
    parse_fails("(root-obj (+ x 1)");
    parse_fails("(root-obj (^ x 100000) 1)");
    parse_fails("1/0");
    parse_fails("(root-obj (+ (^ x 2) (- 2)) 0)");
    xt_algebraic_clear(a);
}

static void test_compare(void)
{
    xt_algebraic_t a, b;
    mpq_t q;

    xt_algebraic_init(a);
    xt_algebraic_init(b);
    mpq_init(q);
    parse_ok(a, "(root-obj (+ (^ x 2) (- 2)) 2)");
    /* the same number from (x^2 - 2)^2 = x^4 - 4x^2 + 4 */
    parse_ok(b, "(root-obj (+ (^ x 4) (* (- 4) (^ x 2)) 4) 2)");
    XT_CHECK_INT(xt_algebraic_cmp(a, b), 0);
    parse_ok(b, "(root-obj (+ (^ x 2) (- 3)) 2)");
    XT_CHECK_INT(xt_algebraic_cmp(a, b), -1);
    XT_CHECK_INT(xt_algebraic_cmp(b, a), 1);
    /* 99/70 = 1.41428... is above sqrt 2, 140/99 = 1.41414... below */
    mpq_set_ui(q, 99, 70);
    XT_CHECK_INT(xt_algebraic_cmp_q(a, q), -1);
    mpq_set_ui(q, 140, 99);
    XT_CHECK_INT(xt_algebraic_cmp_q(a, q), 1);
    /* close irrationals: sqrt 2 and the root of 985^2 x^2 = 2 * 985^2 + 1 */
    parse_ok(b, "(root-obj (+ (* 970225 (^ x 2)) (- 1940451)) 2)");
    XT_CHECK_INT(xt_algebraic_cmp(a, b), -1);
    xt_algebraic_round(q, a, 20);
    XT_CHECK(fabs(mpq_get_d(q) - sqrt(2.0)) < 1e-6);
    mpq_clear(q);
    xt_algebraic_clear(a);
    xt_algebraic_clear(b);
}

/* Random products (x - p/q)(x^2 - r) with r not a square, whose roots
 * are p/q and +-sqrt r.  Each root must be isolated, classified as
 * rational or not, and enclosed correctly. */
static void test_random_roots(uint64_t *rng, long count)
{
    xt_poly p;
    xt_algebraic_t a;
    xt_error_t err;
    xt_ival v;

    xt_poly_init(&p);
    xt_algebraic_init(a);
    xt_ival_init(&v, 128);
    for (long c = 0; c < count; c++) {
        long num = (long)(xt_test_rand(rng) % 21) - 10;
        long den = 1 + (long)(xt_test_rand(rng) % 5);
        long r = 2 + (long)(xt_test_rand(rng) % 30);
        if ((long)sqrt((double)r) * (long)sqrt((double)r) == r)
            r++;
        /* q (x - num/den)(x^2 - r) with integer coefficients */
        xt_poly_reserve(&p, 3);
        p.deg = 3;
        mpz_set_si(p.c[3], den);
        mpz_set_si(p.c[2], -num);
        mpz_set_si(p.c[1], -den * r);
        mpz_set_si(p.c[0], num * r);
        double want[3] = {-sqrt((double)r), (double)num / (double)den,
                          sqrt((double)r)};
        /* sort the three roots */
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2 - i; j++)
                if (want[j] > want[j + 1]) {
                    double t = want[j];
                    want[j] = want[j + 1];
                    want[j + 1] = t;
                }
        for (unsigned long index = 1; index <= 3; index++) {
            if (xt_algebraic_set_root(a, (const mpz_t *)p.c, 3, index,
                                      &err) != XT_OK) {
                XT_FAIL("root %lu of case %ld: %s", index, c, err.message);
                continue;
            }
            int rational = fabs(want[index - 1] - (double)num / den) < 1e-12;
            XT_CHECK_INT(xt_algebraic_get_q(NULL, a), rational);
            XT_CHECK_INT(xt_algebraic_root_index(a), rational ? 1 : index);
            xt_ival_set_algebraic(&v, a);
            XT_CHECK(mpfr_cmp_d(v.lo, want[index - 1] + 1e-9) <= 0);
            XT_CHECK(mpfr_cmp_d(v.hi, want[index - 1] - 1e-9) >= 0);
        }
    }
    xt_ival_clear(&v);
    xt_algebraic_clear(a);
    xt_poly_clear(&p);
}

/* Sturm counts on (x - 1)(x - 2)(x - 3) = x^3 - 6x^2 + 11x - 6. */
static void test_sturm(void)
{
    xt_poly p;
    xt_sturm s;
    mpq_t lo, hi;

    xt_poly_init(&p);
    xt_poly_reserve(&p, 3);
    p.deg = 3;
    mpz_set_si(p.c[0], -6);
    mpz_set_si(p.c[1], 11);
    mpz_set_si(p.c[2], -6);
    mpz_set_si(p.c[3], 1);
    xt_sturm_init(&s, &p);
    mpq_inits(lo, hi, NULL);
    XT_CHECK_INT(xt_sturm_count(&s, NULL, NULL), 3);
    mpq_set_ui(lo, 1, 1);
    mpq_set_ui(hi, 3, 1);
    XT_CHECK_INT(xt_sturm_count(&s, lo, hi), 2);  /* (1, 3] contains 2 and 3 */
    mpq_set_ui(lo, 3, 2);
    mpq_set_ui(hi, 5, 2);
    XT_CHECK_INT(xt_sturm_count(&s, lo, hi), 1);
    XT_CHECK_INT(xt_sturm_count(&s, NULL, lo), 1);
    mpq_clears(lo, hi, NULL);
    xt_sturm_clear(&s);
    xt_poly_clear(&p);
}

/* The workarounds for Z3 4.8.12. */
static void test_z3_workarounds(void)
{
    Z3_context c = xt_z3_context_new();
    xt_algebraic_t a, back;
    xt_error_t err;
    mpq_t zero;

    xt_algebraic_init(a);
    xt_algebraic_init(back);
    mpq_init(zero);
    parse_ok(a, "(root-obj (+ (^ x 2) x (- 1)) 2)");
    Z3_ast v = xt_z3_mk_algebraic(c, a, &err);
    XT_CHECK(v != NULL);
    /* the root index is known only after printing */
    XT_CHECK_INT(xt_z3_root_index(c, v), 2);
    /* -0.618... is the first root of x^2 - x - 1, but Z3 keeps index 2
     * after the negation; xtrain recomputes it from the interval */
    Z3_ast neg = Z3_algebraic_sub(c, xt_z3_mk_rational(c, zero), v);
    XT_CHECK(xt_z3_get_algebraic(back, c, neg, &err) == XT_OK);
    check_print(back, "(root-obj (+ (^ x 2) (* (- 1) x) (- 1)) 1)");
    /* each string must be copied before the next Z3 call */
    char *first = xt_z3_strdup(Z3_ast_to_string(c, v));
    char *second = xt_z3_strdup(Z3_ast_to_string(c, neg));
    XT_CHECK(first && second && strcmp(first, second) != 0);
    free(first);
    free(second);
    /* a root taken from the Z3_algebraic_roots vector survives it */
    Z3_ast w = xt_z3_mk_algebraic(c, back, &err);
    XT_CHECK(w && Z3_algebraic_lt(c, w, v));
    XT_CHECK(xt_z3_get_algebraic(back, c, v, &err) == XT_OK);
    XT_CHECK_INT(xt_algebraic_cmp(back, a), 0);
    xt_z3_context_free(c);
    mpq_clear(zero);
    xt_algebraic_clear(a);
    xt_algebraic_clear(back);
}

static const char irrational_instance[] =
    "xtrain-instance 1\ninputs 2\noutputs 2\nhidden 1\nloss l2\n"
    "output-bias no\ndata 2\n1 0 2 1\n0 1 1 1\n";

static const char irrational_network[] =
    "xtrain-network 1\ninputs 2\nhidden 1\noutputs 2\nactivation relu\n"
    "output-bias no\n"
    "neuron 1 (root-obj (+ (^ x 2) x (- 1)) 2) 0 "
    "(root-obj (+ (* 5 (^ x 2)) (* (- 10) x) 1) 2) "
    "(root-obj (+ (* 5 (^ x 2)) (* (- 5) x) (- 1)) 2)\n";

/* The optimal network of the two-output instance: exact loss
 * (7 - 3 sqrt 5) / 2, the smaller root of x^2 - 7x + 1. */
static void test_network_loss(void)
{
    xt_instance_t inst;
    xt_algebraic_network_t net, again;
    xt_algebraic_loss_t rep;
    xt_algebraic_t target;
    xt_error_t err;
    char *text = NULL;
    size_t size = 0;

    xt_instance_init(inst);
    xt_algebraic_network_init(net);
    xt_algebraic_network_init(again);
    xt_algebraic_loss_init(rep);
    xt_algebraic_init(target);
    XT_CHECK(xt_instance_read_string(inst, irrational_instance, "inst",
                                     &err) == XT_OK);
    XT_CHECK(xt_algebraic_network_read_string(net, irrational_network,
                                              "net", &err) == XT_OK);
    XT_CHECK_INT(xt_algebraic_network_irrational(net), 3);
    parse_ok(target, "(root-obj (+ (^ x 2) (* (- 7) x) 1) 1)");
    XT_CHECK(xt_algebraic_network_loss(rep, net, inst, XT_LOSS_L2, target, 0,
                                       &err) == XT_OK);
    XT_CHECK(rep->exact && rep->meets_target);
    XT_CHECK_INT(xt_algebraic_cmp(rep->loss, target), 0);
    /* equality cannot be proven by intervals alone */
    XT_CHECK(!rep->decided_by_intervals);
    XT_CHECK(xt_algebraic_network_loss(rep, net, inst, XT_LOSS_L2, target, 1,
                                       &err) == XT_OK);
    XT_CHECK(!rep->meets_target);
    /* a rational target above: the intervals decide */
    parse_ok(target, "1459/10000");
    XT_CHECK(xt_algebraic_network_loss_intervals(rep, net, inst, XT_LOSS_L2,
                                                 target, 0, 4096, &err)
             == XT_OK);
    XT_CHECK(rep->decided_by_intervals && rep->meets_target);
    /* write and read back */
    FILE *f = open_memstream(&text, &size);
    xt_algebraic_network_write(f, net);
    fclose(f);
    XT_CHECK(xt_algebraic_network_read_string(again, text, "again", &err)
             == XT_OK);
    XT_CHECK_INT(xt_algebraic_cmp(&again->a[1], &net->a[1]), 0);
    XT_CHECK_INT(xt_algebraic_cmp(&again->w[1], &net->w[1]), 0);
    free(text);
    /* malformed files */
    XT_CHECK(xt_algebraic_network_read_string(
                 again, "xtrain-network 1\ninputs 1\nhidden 1\nneuron 1 "
                 "(root-obj (+ x 1) 2) 1\n", "bad", &err) == XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "bad:4:") != NULL);
    XT_CHECK(xt_algebraic_network_read_string(
                 again, "xtrain-network 1\ninputs 1\nhidden 2\nneuron 1 0 1\n",
                 "short", &err) == XT_ERR_INPUT);
    xt_algebraic_clear(target);
    xt_algebraic_loss_clear(rep);
    xt_algebraic_network_clear(again);
    xt_algebraic_network_clear(net);
    xt_instance_clear(inst);
}

/* Random rational networks: the algebraic path must give xt_network_loss
 * for every loss and activation. */
static void test_rational_networks(uint64_t *rng, long count)
{
    xt_instance_t inst;
    xt_network_t net;
    xt_algebraic_network_t alg;
    xt_algebraic_loss_t rep;
    xt_error_t err;
    mpq_t want;

    xt_instance_init(inst);
    xt_network_init(net);
    xt_algebraic_network_init(alg);
    xt_algebraic_loss_init(rep);
    mpq_init(want);
    for (long c = 0; c < count; c++) {
        int d = 1 + (int)(xt_test_rand(rng) % 2), k = 1 + (int)(c % 3);
        int m = 1 + (int)(xt_test_rand(rng) % 2);
        xt_instance_resize(inst, 4, d, m, NULL);
        xt_network_resize(net, d, k, m, NULL);
        net->activation = (xt_activation)(c % 3);
        net->has_output_bias = (int)(xt_test_rand(rng) % 2);
        for (long i = 0; i < 4L * d; i++)
            mpq_set_si(inst->x[i], (long)(xt_test_rand(rng) % 5) - 2, 1);
        /* mpq_set_si does not reduce p/q: canonicalize each value */
        for (long i = 0; i < 4L * m; i++) {
            mpq_set_si(inst->y[i], (long)(xt_test_rand(rng) % 5) - 2, 2);
            mpq_canonicalize(inst->y[i]);
        }
        for (long i = 0; i < (long)k * d; i++) {
            mpq_set_si(net->w[i], (long)(xt_test_rand(rng) % 7) - 3, 2);
            mpq_canonicalize(net->w[i]);
        }
        for (int j = 0; j < k; j++) {
            mpq_set_si(net->b[j], (long)(xt_test_rand(rng) % 5) - 2, 3);
            mpq_canonicalize(net->b[j]);
        }
        for (long i = 0; i < (long)m * k; i++)
            mpq_set_si(net->a[i], (long)(xt_test_rand(rng) % 5) - 2, 1);
        for (int o = 0; o < m; o++)
            mpq_set_si(net->c[o], (long)(xt_test_rand(rng) % 3) - 1, 1);
        xt_algebraic_network_set_network(alg, net);
        for (int loss = XT_LOSS_L2; loss <= XT_LOSS_ZERO_ONE; loss++) {
            xt_network_loss(want, NULL, net, inst, (xt_loss)loss, &err);
            XT_CHECK(xt_algebraic_network_loss(rep, alg, inst, (xt_loss)loss,
                                               NULL, 0, &err) == XT_OK);
            XT_CHECK(rep->exact && xt_algebraic_cmp_q(rep->loss, want) == 0);
            /* the intervals must enclose it too */
            XT_CHECK(xt_algebraic_network_loss_intervals(
                         rep, alg, inst, (xt_loss)loss, NULL, 0, 64, &err)
                     == XT_OK);
            XT_CHECK(mpq_cmp(rep->loss_lo, want) <= 0 &&
                     mpq_cmp(rep->loss_hi, want) >= 0);
        }
    }
    mpq_clear(want);
    xt_algebraic_loss_clear(rep);
    xt_algebraic_network_clear(alg);
    xt_network_clear(net);
    xt_instance_clear(inst);
}

/* The size limit of root-obj terms: (degree + 1)^2 times the bits of
 * the largest coefficient at most 65536, checked on every subterm. */
static void test_size_limit(void)
{
    xt_algebraic_t a, back;
    xt_error_t err;
    char text[1200];
    char *printed;

    xt_algebraic_init(a);
    xt_algebraic_init(back);
    /* 181^2 * 2 = 65522 is within the limit, 181^2 * 3 is not */
    parse_ok(a, "(root-obj (- (^ x 180) 2) 2)");
    XT_CHECK_INT(a->degree, 180);
    parse_fails("(root-obj (- (^ x 180) 4) 2)");
    /* (x^3 + 1)^291 + 2, found by fuzzing: it took seconds to parse */
    parse_fails("(root-obj (+ (^ (+ (^ x 3) 1) 291) 1 1) 1)");
    /* a constant raised past the limit is rejected before it is built */
    parse_fails("(root-obj (- x (^ (^ 9 255) 255)) 1)");
    const char *large = "(root-obj (- (^ x 180) 4) 2)";
    XT_CHECK_INT(xt_algebraic_parse(a, large, strlen(large), &err),
                 XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "too large") != NULL);

    /* coefficients longer than 255 digits are read, so a printed
     * x^2 - (10^400 + 1) reads back equal */
    snprintf(text, sizeof text, "(root-obj (- (^ x 2) 1%0400d) 2)", 1);
    parse_ok(a, text);
    printed = xt_algebraic_to_string(a);
    XT_CHECK(printed != NULL);
    parse_ok(back, printed);
    XT_CHECK_INT(xt_algebraic_cmp(a, back), 0);
    free(printed);
    xt_algebraic_clear(back);
    xt_algebraic_clear(a);
}

int main(void)
{
    uint64_t rng = xt_test_seed();

    test_parse_and_print();
    test_compare();
    test_size_limit();
    test_sturm();
    test_random_roots(&rng, xt_test_scale(200));
    test_z3_workarounds();
    test_network_loss();
    test_rational_networks(&rng, xt_test_scale(60));
    return xt_test_finish("test_smt_algebraic");
}
