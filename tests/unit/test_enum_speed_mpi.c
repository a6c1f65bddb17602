/* The enumeration solver under `mpirun -n 2` (a build with XT_MPI): the
 * two processes split the tree search, and the result must be the one
 * process's result, with a certificate that verifies.  Skipped (exit
 * code 77, with a message) when the build has no MPI or mpirun is not
 * installed. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "xt_test.h"
#include "xtrain/check.h"
#include "xtrain/instance.h"
#include "../../solvers/enum/enum_internal.h"

/* Finds the xtrain executable, which the build puts one level above
 * this test's own directory. */
static int find_xtrain(char *path, size_t size)
{
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (len <= 0)
        return 0;
    self[len] = 0;
    char *slash = strrchr(self, '/');
    if (!slash)
        return 0;
    *slash = 0;
    int need = snprintf(path, size, "%s/../xtrain", self);
    return need > 0 && (size_t)need < size && access(path, X_OK) == 0;
}

static int have_mpirun(void)
{
    return system("command -v mpirun >/dev/null 2>&1") == 0;
}

/* Runs cmd and returns its standard output (malloc'd), or NULL. */
static char *capture(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    while (out) {
        size_t got = fread(out + len, 1, cap - len - 1, p);
        len += got;
        if (got == 0)
            break;
        if (len + 1 >= cap) {
            char *bigger = realloc(out, cap * 2);
            if (!bigger) {
                free(out);
                out = NULL;
                break;
            }
            out = bigger;
            cap *= 2;
        }
    }
    int status = pclose(p);
    if (out)
        out[len] = 0;
    if (status != 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The part of a JSON result from "loss" to "statistics": the optimum and
 * the network, without timings. */
static char *answer_part(const char *json)
{
    const char *a = json ? strstr(json, "\"loss\"") : NULL;
    const char *b = json ? strstr(json, "\"statistics\"") : NULL;
    if (!a || !b || b < a)
        return NULL;
    char *part = malloc((size_t)(b - a) + 1);
    if (part) {
        memcpy(part, a, (size_t)(b - a));
        part[b - a] = 0;
    }
    return part;
}

static void write_instance(const char *path, uint64_t *state)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    fprintf(f, "xtrain-instance 1\ninputs 2\nhidden 2\nloss l2\ndata 16\n");
    for (int i = 0; i < 16; i++) {
        long x1 = (long)(xt_test_rand(state) % 21) - 10;
        long x2 = (long)(xt_test_rand(state) % 21) - 10;
        long z1 = 2 * x1 - x2 + 3, z2 = -x1 + x2 - 1;
        long y = (z1 > 0 ? z1 : 0) - (z2 > 0 ? z2 : 0) +
                 (long)(xt_test_rand(state) % 7) - 3;
        fprintf(f, "%ld %ld %ld\n", x1, x2, y);
    }
    fclose(f);
}

static void test_two_ranks(const char *xtrain)
{
    uint64_t state = xt_test_seed() ^ 0x3e1;
    char inst_path[] = "/tmp/xtrain-test-mpi-XXXXXX";
    char cert_path[] = "/tmp/xtrain-test-mpi-cert-XXXXXX";
    close(mkstemp(inst_path));
    close(mkstemp(cert_path));
    write_instance(inst_path, &state);

    char cmd[4 * PATH_MAX];
    snprintf(cmd, sizeof cmd, "%s solve %s --json --threads 1", xtrain,
             inst_path);
    char *one = capture(cmd);
    snprintf(cmd, sizeof cmd, "mpirun %s--oversubscribe -n 2 %s solve %s "
             "--json --threads 1 -c %s 2>/dev/null",
             geteuid() == 0 ? "--allow-run-as-root " : "", xtrain,
             inst_path, cert_path);
    char *two = capture(cmd);
    XT_CHECK(one != NULL);
    XT_CHECK(two != NULL);

    /* One JSON object: only rank 0 prints. */
    XT_CHECK(two && strchr(two, '\n') == strrchr(two, '\n'));
    char *a = answer_part(one), *b = answer_part(two);
    XT_CHECK(a && b && strcmp(a, b) == 0);

    xt_instance_t inst;
    xt_instance_init(inst);
    xt_error_t err;
    xt_error_clear(&err);
    XT_CHECK_INT(xt_instance_read_file(inst, inst_path, &err), XT_OK);
    xt_check_report_t rep;
    xt_check_report_init(rep);
    XT_CHECK_INT(xt_check_certificate_file(rep, inst, cert_path, &err),
                 XT_OK);
    XT_CHECK(rep->verified);
    if (!rep->verified)
        fprintf(stderr, "certificate: %s\n", err.message);
    xt_check_report_clear(rep);
    xt_instance_clear(inst);
    free(a);
    free(b);
    free(one);
    free(two);
    remove(inst_path);
    remove(cert_path);
}

int main(void)
{
    xt_test_seed();
    char xtrain[PATH_MAX];
    if (!xt_enum_mpi_compiled()) {
        printf("test_enum_speed_mpi: skipped: built without XT_MPI\n");
        return 77;
    }
    if (!have_mpirun()) {
        printf("test_enum_speed_mpi: skipped: mpirun not found\n");
        return 77;
    }
    if (!find_xtrain(xtrain, sizeof xtrain)) {
        printf("test_enum_speed_mpi: skipped: xtrain executable not "
               "found next to the tests\n");
        return 77;
    }
    test_two_ranks(xtrain);
    return xt_test_finish("test_enum_speed_mpi");
}
