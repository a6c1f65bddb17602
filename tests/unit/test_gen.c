/* Tests of the instance generators: determinism, planted answers checked
 * by exact re-evaluation, hand-derived noise losses, the geometry each
 * degenerate and levee variant promises, Cover's dichotomy count on the
 * moment curve, CSV slices, round trips through the instance format and
 * certificates verified by the independent checker. */
#include <unistd.h>
#include "xt_test.h"
#include "xtrain/arrangement.h"
#include "xtrain/check.h"
#include "xtrain/gen.h"

/* Writes the instance of res into a malloc'd string. */
static char *instance_text(const xt_gen_result_t res, const char *header)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&text, &size);
    xt_gen_write_instance(f, res, header);
    fclose(f);
    return text;
}

/* Generates kind with opt; fails the test on an error. */
static int generate(xt_gen_result_t res, xt_gen_kind kind,
                    const xt_gen_options *opt)
{
    xt_error_t err;
    xt_error_clear(&err);
    int rc = xt_gen(res, kind, opt, &err);
    if (rc != XT_OK)
        XT_FAIL("%s failed: %s", xt_gen_kind_name(kind), err.message);
    return rc;
}

/* The planted answer fits the instance's shape and restrictions, and its
 * exact loss, recomputed here, is the recorded one. */
static void check_answer(const xt_gen_result_t res, const char *name)
{
    xt_error_t err;
    mpq_t loss;
    mpq_init(loss);
    if (!res->has_answer) {
        XT_FAIL("%s: no answer", name);
    } else if (xt_network_conforms(res->answer, res->instance, &err)) {
        XT_FAIL("%s: answer does not conform: %s", name, err.message);
    } else {
        XT_CHECK_INT(xt_network_loss(loss, NULL, res->answer, res->instance,
                                     res->instance->loss, &err), XT_OK);
        if (!mpq_equal(loss, res->answer_loss))
            XT_FAIL("%s: recorded answer loss differs", name);
    }
    XT_CHECK_INT(res->answer->k, res->instance->hidden);
    mpq_clear(loss);
}

static void test_determinism(void)
{
    xt_gen_options opt;
    xt_gen_result_t a, b;
    xt_gen_options_init(&opt);
    xt_gen_result_init(a);
    xt_gen_result_init(b);
    static const xt_gen_kind kinds[] = {XT_GEN_PLANTED, XT_GEN_DEGENERATE,
                                        XT_GEN_LEVEE, XT_GEN_MOMENT,
                                        XT_GEN_SGD_TRAP};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        opt.seed = 77;
        generate(a, kinds[i], &opt);
        generate(b, kinds[i], &opt);
        char *ta = instance_text(a, "h"), *tb = instance_text(b, "h");
        if (strcmp(ta, tb) != 0)
            XT_FAIL("%s: same seed, different files", xt_gen_kind_name(
                        kinds[i]));
        opt.seed = 78;
        generate(b, kinds[i], &opt);
        free(tb);
        tb = instance_text(b, "h");
        if (strcmp(ta, tb) == 0)
            XT_FAIL("%s: seeds 77 and 78 give the same file",
                    xt_gen_kind_name(kinds[i]));
        free(ta);
        free(tb);
    }
    xt_gen_result_clear(a);
    xt_gen_result_clear(b);
    xt_gen_options_clear(&opt);
}

/* Points of an instance are pairwise distinct. */
static int all_distinct(const xt_instance_t inst)
{
    for (long i = 0; i < inst->n; i++)
        for (long j = 0; j < i; j++) {
            int same = 1;
            for (int t = 0; t < inst->d; t++)
                same &= mpq_equal(inst->x[i * inst->d + t],
                                  inst->x[j * inst->d + t]) != 0;
            if (same)
                return 0;
        }
    return 1;
}

static void test_planted(uint64_t seed)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    long rounds = xt_test_scale(20);
    for (long r = 0; r < rounds; r++) {
        opt.seed = seed + (uint64_t)r;
        opt.d = 1 + (int)(r % 3);
        opt.k = 1 + (int)(r % 4);
        opt.n = 5 + r % 20;
        opt.grid = (int)(r % 2);
        opt.coord_bound = 12;
        opt.convex = r % 5 == 0;
        opt.output_bias = r % 3 == 0;
        opt.activation = r % 7 == 6 ? XT_ACT_THRESHOLD : XT_ACT_RELU;
        if (generate(res, XT_GEN_PLANTED, &opt) != XT_OK)
            continue;
        check_answer(res, "planted");
        XT_CHECK(res->answer_optimal);
        XT_CHECK_RAT(res->answer_loss, "0");
        XT_CHECK(res->instance->has_target);
        XT_CHECK_INT(res->instance->n, opt.n);
        XT_CHECK_INT(res->instance->d, opt.d);
        XT_CHECK(all_distinct(res->instance));
        for (long i = 0; i < res->instance->n * opt.d; i++)
            if (mpq_cmp_si(res->instance->x[i], 12, 1) > 0 ||
                mpq_cmp_si(res->instance->x[i], -12, 1) < 0)
                XT_FAIL("coordinate outside [-12, 12]");
        for (int j = 0; j < res->answer->k && opt.convex; j++)
            XT_CHECK(mpq_cmp_si(res->answer->a[j], 1, 1) == 0);
    }
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

static void test_signs_and_noise(void)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    opt.k = 3;
    opt.signs = "+-+";
    opt.noise = 3;
    opt.noise_amount_count = 2;
    mpq_set_si(opt.noise_amounts[0], 1, 1);
    mpq_set_si(opt.noise_amounts[1], -1, 2);
    if (generate(res, XT_GEN_PLANTED, &opt) == XT_OK) {
        check_answer(res, "noise");
        XT_CHECK(mpq_sgn(res->answer->a[0]) > 0);
        XT_CHECK(mpq_sgn(res->answer->a[1]) < 0);
        XT_CHECK(mpq_sgn(res->answer->a[2]) > 0);
        /* Moves 1, -1/2, 1: squared residuals 1 + 1/4 + 1. */
        XT_CHECK_RAT(res->answer_loss, "9/4");
        XT_CHECK(!res->instance->has_target);
        XT_CHECK(!res->answer_optimal);
    }
    opt.loss = XT_LOSS_L1;
    if (generate(res, XT_GEN_PLANTED, &opt) == XT_OK)
        XT_CHECK_RAT(res->answer_loss, "5/2");
    opt.loss = XT_LOSS_LINF;
    if (generate(res, XT_GEN_PLANTED, &opt) == XT_OK)
        XT_CHECK_RAT(res->answer_loss, "1");

    /* Rejected options. */
    xt_error_t err;
    opt.signs = "+-";
    XT_CHECK_INT(xt_gen(res, XT_GEN_PLANTED, &opt, &err), XT_ERR_INPUT);
    opt.signs = "+x+";
    XT_CHECK_INT(xt_gen(res, XT_GEN_PLANTED, &opt, &err), XT_ERR_INPUT);
    opt.signs = NULL;
    opt.noise = 100;
    XT_CHECK_INT(xt_gen(res, XT_GEN_PLANTED, &opt, &err), XT_ERR_INPUT);
    opt.noise = 0;
    opt.n = 30;
    opt.d = 1;
    opt.coord_bound = 3;    /* 7 grid points for 30 distinct ones */
    XT_CHECK_INT(xt_gen(res, XT_GEN_PLANTED, &opt, &err), XT_ERR_INPUT);
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

/* Whether point i lies on some breakline w_j . x + b_j = 0 of net. */
static int on_breakline(const xt_instance_t inst, long i,
                        const xt_network_t net)
{
    mpq_t s, u;
    mpq_inits(s, u, NULL);
    int found = 0;
    for (int j = 0; j < net->k && !found; j++) {
        mpq_set(s, net->b[j]);
        for (int t = 0; t < net->d; t++) {
            mpq_mul(u, net->w[j * net->d + t], inst->x[i * inst->d + t]);
            mpq_add(s, s, u);
        }
        found = mpq_sgn(s) == 0;
    }
    mpq_clears(s, u, NULL);
    return found;
}

static long count_distinct(const xt_instance_t inst)
{
    long count = 0;
    for (long i = 0; i < inst->n; i++) {
        int seen = 0;
        for (long j = 0; j < i && !seen; j++) {
            int same = 1;
            for (int t = 0; t < inst->d; t++)
                same &= mpq_equal(inst->x[i * inst->d + t],
                                  inst->x[j * inst->d + t]) != 0;
            seen = same;
        }
        count += !seen;
    }
    return count;
}

/* Whether all points of a planar instance are on one line. */
static int collinear(const xt_instance_t inst)
{
    mpq_t a, b, c;
    mpq_inits(a, b, c, NULL);
    int ok = 1;
    for (long i = 2; i < inst->n && ok; i++) {
        /* (x1 - x0) x (xi - x0) = 0 */
        mpq_sub(a, inst->x[2], inst->x[0]);
        mpq_sub(b, inst->x[2 * i + 1], inst->x[1]);
        mpq_mul(c, a, b);
        mpq_sub(a, inst->x[3], inst->x[1]);
        mpq_sub(b, inst->x[2 * i], inst->x[0]);
        mpq_mul(a, a, b);
        ok = mpq_equal(a, c);
    }
    mpq_clears(a, b, c, NULL);
    return ok;
}

static void test_degenerate(uint64_t seed)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    opt.seed = seed;
    opt.k = 3;
    opt.n = 12;

    opt.variant = "breaklines";
    for (opt.d = 1; opt.d <= 3; opt.d++)
        if (generate(res, XT_GEN_DEGENERATE, &opt) == XT_OK) {
            check_answer(res, "breaklines");
            XT_CHECK_RAT(res->answer_loss, "0");
            for (long i = 0; i < res->instance->n; i++)
                if (!on_breakline(res->instance, i, res->answer))
                    XT_FAIL("d %d: point %ld is on no breakline", opt.d, i);
        }

    opt.d = 2;
    opt.variant = "lines";
    opt.flats = 1;
    if (generate(res, XT_GEN_DEGENERATE, &opt) == XT_OK) {
        check_answer(res, "lines");
        XT_CHECK(collinear(res->instance));
    }

    opt.variant = "repeated";
    if (generate(res, XT_GEN_DEGENERATE, &opt) == XT_OK) {
        check_answer(res, "repeated");
        XT_CHECK(count_distinct(res->instance) <= 4);
        XT_CHECK(count_distinct(res->instance) >= 2);
    }

    opt.variant = "scale";
    opt.exponent = 30;
    if (generate(res, XT_GEN_DEGENERATE, &opt) == XT_OK) {
        check_answer(res, "scale");
        int tiny = 0, huge = 0;
        for (long i = 0; i < res->instance->n * 2; i++) {
            mpq_ptr v = res->instance->x[i];
            tiny |= mpz_sizeinbase(mpq_denref(v), 10) >= 30;
            huge |= mpz_sizeinbase(mpq_numref(v), 10) >= 30;
        }
        XT_CHECK(tiny);
        XT_CHECK(huge);
    }

    static const char *const variants[] = {"mixed", "planes"};
    opt.d = 3;
    for (int v = 0; v < 2; v++) {
        opt.variant = variants[v];
        if (generate(res, XT_GEN_DEGENERATE, &opt) == XT_OK) {
            check_answer(res, variants[v]);
            XT_CHECK_RAT(res->answer_loss, "0");
        }
    }
    xt_error_t err;
    opt.d = 2;
    XT_CHECK_INT(xt_gen(res, XT_GEN_DEGENERATE, &opt, &err), XT_ERR_INPUT);
    opt.variant = "nope";
    XT_CHECK_INT(xt_gen(res, XT_GEN_DEGENERATE, &opt, &err), XT_ERR_INPUT);
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

/* Parallel levees have disjoint strips, so ridge points have label 1,
 * slope points a label strictly between 0 and 1 and zero-region points
 * label 0. */
static void test_levee_placements(uint64_t seed)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    opt.seed = seed;
    opt.levees = 3;
    opt.directions = "parallel";
    static const char *const where[] = {"ridge", "slope", "zero"};
    for (int w = 0; w < 3; w++) {
        opt.variant = where[w];
        if (generate(res, XT_GEN_LEVEE, &opt) != XT_OK)
            continue;
        check_answer(res, where[w]);
        XT_CHECK_INT(res->instance->hidden, 9);
        XT_CHECK(res->instance->has_target);
        for (long i = 0; i < res->instance->n; i++) {
            mpq_ptr y = res->instance->y[i];
            if (w == 0 && mpq_cmp_si(y, 1, 1) != 0)
                XT_FAIL("ridge point %ld has label != 1", i);
            if (w == 1 && (mpq_sgn(y) <= 0 || mpq_cmp_si(y, 1, 1) >= 0))
                XT_FAIL("slope point %ld has label outside (0, 1)", i);
            if (w == 2 && mpq_sgn(y) != 0)
                XT_FAIL("zero point %ld has label != 0", i);
        }
    }
    for (int j = 0; j < res->answer->k; j++)
        XT_CHECK(mpq_cmp_si(res->answer->a[j], j % 3 == 1 ? -2 : 1, 1) == 0);
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

/* The tent values 0 0 1/4 3/4 3/4 3/4 3/4 1/4 0 0 along each pinned
 * transversal (parallel levees, so no other levee adds to them). */
static void test_levee_pinned(uint64_t seed)
{
    static const char *const profile[10] = {
        "0", "0", "0", "1/4", "3/4", "3/4", "1/4", "0", "0", "0"
    };
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    opt.seed = seed;
    opt.levees = 2;
    opt.variant = "pinned";
    opt.directions = "parallel";
    if (generate(res, XT_GEN_LEVEE, &opt) == XT_OK) {
        check_answer(res, "pinned");
        XT_CHECK_INT(res->instance->n, 40);
        for (long i = 0; i < res->instance->n; i++)
            XT_CHECK_RAT(res->instance->y[i], profile[i % 10]);
    }
    static const char *const modes[] = {"random", "near-parallel",
                                        "crossing"};
    opt.variant = NULL;
    opt.levees = 4;
    for (int m = 0; m < 3; m++) {
        opt.directions = modes[m];
        if (generate(res, XT_GEN_LEVEE, &opt) == XT_OK) {
            check_answer(res, modes[m]);
            XT_CHECK_RAT(res->answer_loss, "0");
        }
    }
    xt_error_t err;
    opt.d = 3;
    XT_CHECK_INT(xt_gen(res, XT_GEN_LEVEE, &opt, &err), XT_ERR_INPUT);
    opt.d = 2;
    opt.directions = "sideways";
    XT_CHECK_INT(xt_gen(res, XT_GEN_LEVEE, &opt, &err), XT_ERR_INPUT);
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

static void test_moment(uint64_t seed)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    opt.seed = seed;
    static const int dims[] = {1, 2, 3};
    static const long sizes[] = {9, 8, 7};
    for (int c = 0; c < 3; c++) {
        opt.d = dims[c];
        opt.n = sizes[c];
        opt.grid = c != 1;
        if (generate(res, XT_GEN_MOMENT, &opt) != XT_OK)
            continue;
        xt_instance_struct *inst = res->instance;
        mpq_t power;
        mpq_init(power);
        for (long i = 0; i < inst->n; i++) {
            mpq_set(power, inst->x[i * inst->d]);
            for (int t = 1; t < inst->d; t++) {
                mpq_mul(power, power, inst->x[i * inst->d]);
                if (!mpq_equal(power, inst->x[i * inst->d + t]))
                    XT_FAIL("point %ld is off the moment curve", i);
            }
            XT_CHECK(mpq_cmp_si(inst->y[i], i % 2, 1) == 0);
            if (i > 0 && mpq_cmp(inst->x[(i - 1) * inst->d],
                                 inst->x[i * inst->d]) >= 0)
                XT_FAIL("parameters not increasing at %ld", i);
        }
        mpq_clear(power);

        xt_dichotomy_list list;
        xt_error_t err;
        mpz_t want;
        mpz_init(want);
        xt_dichotomy_list_init(&list, inst->n);
        xt_dichotomy_count_general(want, inst->n, inst->d);
        XT_CHECK_INT(xt_dichotomies(&list, inst->x, inst->n, inst->d, 0,
                                    &err), XT_OK);
        XT_CHECK_INT((long)list.count, (long)mpz_get_ui(want));
        xt_dichotomy_list_clear(&list);
        mpz_clear(want);
        XT_CHECK(!res->has_answer);
    }
    opt.variant = "teacher";
    if (generate(res, XT_GEN_MOMENT, &opt) == XT_OK) {
        check_answer(res, "moment teacher");
        XT_CHECK_RAT(res->answer_loss, "0");
    }
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

static void test_traps(uint64_t seed)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    opt.plain = 1;
    if (generate(res, XT_GEN_SGD_TRAP, &opt) == XT_OK) {
        static const char *const x[] = {"-2", "-1", "0", "1", "2"};
        static const char *const y[] = {"0", "0", "1", "0", "0"};
        check_answer(res, "hat");
        XT_CHECK_INT(res->instance->n, 5);
        XT_CHECK_INT(res->instance->hidden, 3);
        for (int i = 0; i < 5; i++) {
            XT_CHECK_RAT(res->instance->x[i], x[i]);
            XT_CHECK_RAT(res->instance->y[i], y[i]);
        }
    }
    opt.variant = "xor";
    if (generate(res, XT_GEN_SGD_TRAP, &opt) == XT_OK) {
        static const char *const x[] = {"0", "0", "1", "0",
                                        "0", "1", "1", "1"};
        static const char *const y[] = {"0", "1", "1", "0"};
        check_answer(res, "xor");
        XT_CHECK_RAT(res->answer_loss, "0");
        for (int i = 0; i < 8; i++)
            XT_CHECK_RAT(res->instance->x[i], x[i]);
        for (int i = 0; i < 4; i++)
            XT_CHECK_RAT(res->instance->y[i], y[i]);
    }
    opt.plain = 0;
    for (long r = 0; r < xt_test_scale(10); r++) {
        opt.seed = seed + (uint64_t)r;
        opt.variant = r % 2 ? "xor" : "hat";
        opt.n = r % 2 ? 0 : 5 + r;
        if (generate(res, XT_GEN_SGD_TRAP, &opt) == XT_OK) {
            check_answer(res, opt.variant);
            XT_CHECK_RAT(res->answer_loss, "0");
        }
    }
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

static void test_slice(void)
{
    char path[] = "/tmp/xt-test-gen-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        XT_FAIL("cannot create a temporary file");
        return;
    }
    FILE *f = fdopen(fd, "w");
    fputs("3,2,a,b\n1.5,2,0\n2.5,3,1\n\n3.5,4.25,2\n4,5,1\n", f);
    fclose(f);

    xt_gen_options opt;
    xt_gen_result_t res;
    xt_error_t err;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    opt.csv_path = path;
    opt.columns = "2,1";
    opt.rows = "1,3-4";
    opt.binary_label = 1;
    mpq_set_si(opt.label_value, 1, 1);
    if (generate(res, XT_GEN_SLICE, &opt) == XT_OK) {
        static const char *const x[] = {"2", "3/2", "17/4", "7/2", "5", "4"};
        static const char *const y[] = {"0", "0", "1"};
        XT_CHECK_INT(res->instance->n, 3);
        XT_CHECK_INT(res->instance->d, 2);
        for (int i = 0; i < 6; i++)
            XT_CHECK_RAT(res->instance->x[i], x[i]);
        for (int i = 0; i < 3; i++)
            XT_CHECK_RAT(res->instance->y[i], y[i]);
    }
    opt.rows = NULL;
    opt.binary_label = 0;
    opt.n = 4;
    opt.columns = "1";
    opt.label_column = 2;
    if (generate(res, XT_GEN_SLICE, &opt) == XT_OK) {
        static const char *const x[] = {"3/2", "5/2", "7/2", "4"};
        for (int i = 0; i < 4; i++)
            XT_CHECK_RAT(res->instance->x[i], x[i]);
        XT_CHECK_RAT(res->instance->y[2], "17/4");
    }
    opt.n = 5;
    XT_CHECK_INT(xt_gen(res, XT_GEN_SLICE, &opt, &err), XT_ERR_INPUT);
    opt.n = 2;
    opt.columns = "5";
    XT_CHECK_INT(xt_gen(res, XT_GEN_SLICE, &opt, &err), XT_ERR_INPUT);
    opt.columns = "1-";
    XT_CHECK_INT(xt_gen(res, XT_GEN_SLICE, &opt, &err), XT_ERR_INPUT);
    opt.csv_path = "/nonexistent/file.csv";
    XT_CHECK_INT(xt_gen(res, XT_GEN_SLICE, &opt, &err), XT_ERR_IO);
    unlink(path);
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

/* The written file reads back to the same instance, with the header and
 * notes as comments; the certificate is verified by the checker. */
static void test_round_trip(uint64_t seed)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_instance_t back;
    xt_error_t err;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    xt_instance_init(back);
    opt.seed = seed;
    opt.grid = 0;
    opt.d = 1;
    opt.k = 2;
    opt.n = 6;
    opt.output_bias = 1;
    if (generate(res, XT_GEN_PLANTED, &opt) == XT_OK) {
        char *text = instance_text(res, "generated by a test\nline two");
        XT_CHECK(strncmp(text, "xtrain-instance 1\n# generated by a test\n"
                         "# line two\n# planted instance, seed ", 64) == 0);
        XT_CHECK_INT(xt_instance_read_string(back, text, "text", &err),
                     XT_OK);
        XT_CHECK_INT(back->n, res->instance->n);
        XT_CHECK_INT(back->hidden, 2);
        XT_CHECK(back->output_bias);
        XT_CHECK(back->has_target);
        for (long i = 0; i < back->n && back->n == res->instance->n; i++) {
            XT_CHECK(mpq_equal(back->x[i], res->instance->x[i]));
            XT_CHECK(mpq_equal(back->y[i], res->instance->y[i]));
        }
        free(text);

        char path[] = "/tmp/xt-test-cert-XXXXXX";
        int fd = mkstemp(path);
        FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
        if (!f) {
            XT_FAIL("cannot create a temporary file");
        } else {
            XT_CHECK_INT(xt_gen_write_certificate(f, res, &err), XT_OK);
            fclose(f);
            xt_check_report_t rep;
            xt_check_report_init(rep);
            XT_CHECK_INT(xt_check_certificate_file(rep, back, path, &err),
                         XT_OK);
            if (!rep->verified)
                XT_FAIL("certificate rejected: %s", err.message);
            xt_check_report_clear(rep);
            unlink(path);
        }
    }
    opt.noise = 1;
    if (generate(res, XT_GEN_PLANTED, &opt) == XT_OK) {
        FILE *null = fopen("/dev/null", "w");
        XT_CHECK_INT(xt_gen_write_certificate(null, res, &err),
                     XT_ERR_INPUT);
        fclose(null);
    }
    xt_instance_clear(back);
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

/* A planted Set Splitting source gives an answer that meets the target;
 * the triangle {1,2}, {1,3}, {2,3} cannot be split, so it gives none. */
static void test_reduction(uint64_t seed)
{
    xt_gen_options opt;
    xt_gen_result_t res;
    xt_error_t err;
    xt_gen_options_init(&opt);
    xt_gen_result_init(res);
    opt.reduction = "blum-rivest";
    opt.planted = 1;
    for (int r = 0; r < 5; r++) {
        opt.seed = seed + (uint64_t)r;
        opt.source_size = 2 + r;
        if (generate(res, XT_GEN_REDUCTION, &opt) != XT_OK)
            continue;
        check_answer(res, "reduction");
        XT_CHECK(res->instance->has_target);
        XT_CHECK(mpq_cmp(res->answer_loss, res->instance->target) <= 0);
        XT_CHECK(strstr(res->notes, "source: p set"));
    }

    char path[] = "/tmp/xt-test-source-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        XT_FAIL("cannot create a temporary file");
    } else {
        fputs("p set 3 3\n1 2 0\n1 3 0\n2 3 0\n", f);
        fclose(f);
        opt.source_path = path;
        if (generate(res, XT_GEN_REDUCTION, &opt) == XT_OK) {
            XT_CHECK(!res->has_answer);
            XT_CHECK(strstr(res->notes, "the source has no solution"));
            XT_CHECK_INT(res->instance->hidden, 2);
        }
        unlink(path);
    }
    opt.reduction = "no-such-reduction";
    XT_CHECK_INT(xt_gen(res, XT_GEN_REDUCTION, &opt, &err), XT_ERR_INPUT);
    XT_CHECK(strstr(err.message, "blum-rivest"));
    opt.reduction = NULL;
    XT_CHECK_INT(xt_gen(res, XT_GEN_REDUCTION, &opt, &err), XT_ERR_INPUT);
    xt_gen_result_clear(res);
    xt_gen_options_clear(&opt);
}

static void test_names(void)
{
    xt_gen_kind kind;
    for (int k = 0; k <= XT_GEN_REDUCTION; k++) {
        XT_CHECK_INT(xt_gen_kind_parse(&kind, xt_gen_kind_name(
                                               (xt_gen_kind)k)), 0);
        XT_CHECK_INT(kind, k);
    }
    XT_CHECK_INT(xt_gen_kind_parse(&kind, "plant"), -1);
}

int main(void)
{
    uint64_t seed = xt_test_seed();
    test_names();
    test_determinism();
    test_planted(seed);
    test_signs_and_noise();
    test_degenerate(seed);
    test_levee_placements(seed);
    test_levee_pinned(seed);
    test_moment(seed);
    test_traps(seed);
    test_slice();
    test_round_trip(seed);
    test_reduction(seed);
    return xt_test_finish("test_gen");
}
