/* External reductions: the maps are commands in any language that read
 * and write files in xtrain's formats, so a reduction written in Python,
 * Sage or C can be verified without changing xtrain.
 *
 * The specification is a text file of "key value" lines ('#' starts a
 * comment):
 *     name      NAME                 shown in reports
 *     source    PROBLEM              a built-in source problem
 *     points    FORMULA              size formulas (optional)
 *     inputs    FORMULA
 *     hidden    FORMULA
 *     map       COMMAND              writes {instance} from {source}
 *     forward   COMMAND              writes {network} from {source} and
 *                                    {certificate}
 *     backward  COMMAND              writes {certificate} from {source},
 *                                    {instance} and {network}
 *     solve     COMMAND              optional: writes every certificate
 *                                    of {source} to {output}
 * Commands run with /bin/sh -c after the placeholders are replaced by
 * quoted paths in a private temporary directory; {dir} is the folder of
 * the specification file.  Their standard output goes to standard error,
 * and a nonzero exit status is a failed map. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "reduction_internal.h"

enum { KEY_NAME, KEY_SOURCE, KEY_POINTS, KEY_INPUTS, KEY_HIDDEN, KEY_MAP,
       KEY_FORWARD, KEY_BACKWARD, KEY_SOLVE, KEY_COUNT };

static const char *const keys[KEY_COUNT] = {
    "name", "source", "points", "inputs", "hidden", "map", "forward",
    "backward", "solve"
};

typedef struct {
    xt_reduction red;
    char *value[KEY_COUNT];
    char *dir;              /* folder of the specification */
    char tmp[256];          /* private temporary directory */
} external;

#define FILE_NAMES 5
static const char *const file_names[FILE_NAMES] = {
    "source.txt", "instance.txt", "certificate.txt", "network.txt",
    "output.txt"
};

static void path_of(char *out, size_t size, const external *e,
                    const char *file)
{
    snprintf(out, size, "%s/%s", e->tmp, file);
}

/* Appends text to the growing string *out, single-quoted for the shell
 * when quote is set. */
static int append(char **out, size_t *len, size_t *cap, const char *text,
                  size_t n, int quote)
{
    size_t need = *len + 4 * n + 3;
    if (need > *cap) {
        size_t grown = *cap ? *cap : 256;
        while (grown < need)
            grown *= 2;
        char *bigger = realloc(*out, grown);
        if (!bigger)
            return -1;
        *out = bigger;
        *cap = grown;
    }
    if (quote)
        (*out)[(*len)++] = '\'';
    for (size_t i = 0; i < n; i++) {
        if (quote && text[i] == '\'') {
            memcpy(*out + *len, "'\\''", 4);
            *len += 4;
        } else {
            (*out)[(*len)++] = text[i];
        }
    }
    if (quote)
        (*out)[(*len)++] = '\'';
    (*out)[*len] = '\0';
    return 0;
}

/* Replaces {source}, {instance}, {certificate}, {network}, {output} and
 * {dir} in a command. */
static char *expand(const external *e, const char *command)
{
    static const char *const holders[FILE_NAMES] = {
        "{source}", "{instance}", "{certificate}", "{network}", "{output}"
    };
    char *out = NULL, path[512];
    size_t len = 0, cap = 0;
    const char *p = command;
    while (*p) {
        int done = 0;
        for (int f = 0; f < FILE_NAMES && !done; f++)
            if (!strncmp(p, holders[f], strlen(holders[f]))) {
                path_of(path, sizeof path, e, file_names[f]);
                if (append(&out, &len, &cap, path, strlen(path), 1))
                    goto nomem;
                p += strlen(holders[f]);
                done = 1;
            }
        if (!done && !strncmp(p, "{dir}", 5)) {
            if (append(&out, &len, &cap, e->dir, strlen(e->dir), 1))
                goto nomem;
            p += 5;
            done = 1;
        }
        if (!done && append(&out, &len, &cap, p++, 1, 0))
            goto nomem;
    }
    return out ? out : strdup("");
nomem:
    free(out);
    return NULL;
}

/* Runs the command with standard output sent to standard error. */
static int run_command(const external *e, const char *command, int key,
                       xt_error_t *err)
{
    char *line = expand(e, command);
    if (!line) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(2, 1);
        execl("/bin/sh", "sh", "-c", line, (char *)NULL);
        _exit(127);
    }
    int status = 0, rc = XT_OK;
    if (pid < 0 || waitpid(pid, &status, 0) < 0) {
        xt_error_set(err, "%s command could not be run: %s", keys[key],
                     strerror(errno));
        rc = XT_ERR_IO;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        xt_error_set(err, "%s command failed (exit status %d): %.200s",
                     keys[key], WIFEXITED(status) ? WEXITSTATUS(status)
                                                  : -1, line);
        rc = XT_ERR_INPUT;
    }
    free(line);
    return rc;
}

/* Writes the source instance to source.txt and removes stale outputs. */
static int prepare(const external *e, const xt_clauses_t src,
                   xt_error_t *err)
{
    char path[512];
    for (int f = 1; f < FILE_NAMES; f++) {
        path_of(path, sizeof path, e, file_names[f]);
        remove(path);
    }
    path_of(path, sizeof path, e, file_names[0]);
    FILE *f = fopen(path, "w");
    if (!f) {
        xt_error_set(err, "%s: cannot write: %s", path, strerror(errno));
        return XT_ERR_IO;
    }
    xt_source_write(f, e->red.source, src);
    return fclose(f) == 0 ? XT_OK : XT_ERR_IO;
}

static int ext_map(const xt_reduction *r, xt_instance_t out,
                   const xt_clauses_t src, xt_error_t *err)
{
    const external *e = r->data;
    char path[512];
    int rc = prepare(e, src, err);
    if (rc == XT_OK)
        rc = run_command(e, e->value[KEY_MAP], KEY_MAP, err);
    path_of(path, sizeof path, e, file_names[1]);
    if (rc == XT_OK)
        rc = xt_instance_read_file(out, path, err);
    return rc;
}

static int ext_forward(const xt_reduction *r, xt_network_t out,
                       const xt_clauses_t src, const xt_instance_t inst,
                       const xt_assignment_t cert, xt_error_t *err)
{
    (void)inst;
    const external *e = r->data;
    char path[512];
    int rc = prepare(e, src, err);
    path_of(path, sizeof path, e, file_names[2]);
    FILE *f = rc == XT_OK ? fopen(path, "w") : NULL;
    if (rc == XT_OK && !f)
        rc = XT_ERR_IO;
    if (f) {
        xt_certificate_list one;
        xt_certificate_list_init(&one, cert->n);
        rc = xt_certificate_list_push(&one, cert);
        xt_certificates_write(f, &one);
        xt_certificate_list_clear(&one);
        fclose(f);
    }
    if (rc == XT_OK)
        rc = run_command(e, e->value[KEY_FORWARD], KEY_FORWARD, err);
    path_of(path, sizeof path, e, file_names[3]);
    if (rc == XT_OK)
        rc = xt_network_read_file(out, path, err);
    return rc;
}

static int write_inputs(const external *e, const xt_instance_t inst,
                        const xt_network_t net, xt_error_t *err)
{
    char path[512];
    path_of(path, sizeof path, e, file_names[1]);
    FILE *f = fopen(path, "w");
    if (f) {
        xt_instance_write(f, inst);
        fclose(f);
        path_of(path, sizeof path, e, file_names[3]);
        f = fopen(path, "w");
    }
    if (!f) {
        xt_error_set(err, "%s: cannot write: %s", path, strerror(errno));
        return XT_ERR_IO;
    }
    xt_network_write(f, net);
    fclose(f);
    return XT_OK;
}

static int ext_backward(const xt_reduction *r, xt_assignment_t out,
                        const xt_clauses_t src, const xt_instance_t inst,
                        const xt_network_t net, xt_error_t *err)
{
    const external *e = r->data;
    char path[512];
    int rc = prepare(e, src, err);
    if (rc == XT_OK)
        rc = write_inputs(e, inst, net, err);
    if (rc == XT_OK)
        rc = run_command(e, e->value[KEY_BACKWARD], KEY_BACKWARD, err);
    path_of(path, sizeof path, e, file_names[2]);
    xt_certificate_list list;
    xt_certificate_list_init(&list, src->nvars);
    if (rc == XT_OK)
        rc = xt_certificates_read_file(&list, src->nvars, path, err);
    if (rc == XT_OK && list.count != 1) {
        xt_error_set(err, "the backward command wrote %ld certificates, "
                     "expected 1", list.count);
        rc = XT_ERR_INPUT;
    }
    if (rc == XT_OK)
        rc = xt_certificate_list_get(out, &list, 0);
    xt_certificate_list_clear(&list);
    return rc;
}

static int ext_solve(const xt_reduction *r, xt_certificate_list *out,
                     const xt_clauses_t src, xt_error_t *err)
{
    const external *e = r->data;
    char path[512];
    int rc = prepare(e, src, err);
    if (rc == XT_OK)
        rc = run_command(e, e->value[KEY_SOLVE], KEY_SOLVE, err);
    path_of(path, sizeof path, e, file_names[4]);
    if (rc == XT_OK)
        rc = xt_certificates_read_file(out, src->nvars, path, err);
    return rc;
}

/* Splits "key value" and stores the value. */
static int spec_line(external *e, char *line, const char *path, long number,
                     xt_error_t *err)
{
    char *hash = strchr(line, '#');
    if (hash && (hash == line || hash[-1] == ' ' || hash[-1] == '\t'))
        *hash = '\0';
    char *key = line + strspn(line, " \t\r");
    if (!*key)
        return XT_OK;
    size_t key_len = strcspn(key, " \t\r");
    char *value = key + key_len;
    value += strspn(value, " \t");
    size_t value_len = strlen(value);
    while (value_len && strchr(" \t\r", value[value_len - 1]))
        value[--value_len] = '\0';
    key[key_len] = '\0';
    for (int k = 0; k < KEY_COUNT; k++) {
        if (strcmp(key, keys[k]) != 0)
            continue;
        if (e->value[k] || !*value) {
            xt_error_at(err, path, number, "%s \"%s\"", e->value[k]
                        ? "repeated key" : "missing value for", key);
            return XT_ERR_INPUT;
        }
        e->value[k] = strdup(value);
        return e->value[k] ? XT_OK : XT_ERR_NOMEM;
    }
    xt_error_at(err, path, number, "unknown key \"%s\" (expected name, "
                "source, points, inputs, hidden, map, forward, backward "
                "or solve)", key);
    return XT_ERR_INPUT;
}

static int read_spec(external *e, const char *path, xt_error_t *err)
{
    char *text;
    size_t len;
    int rc = xt_read_whole_file(&text, &len, path, err);
    if (rc != XT_OK)
        return rc;
    long number = 0;
    for (char *line = text; rc == XT_OK && line && *line; number++) {
        char *end = strchr(line, '\n');
        if (end)
            *end = '\0';
        rc = spec_line(e, line, path, number + 1, err);
        line = end ? end + 1 : NULL;
    }
    free(text);
    for (int k = KEY_SOURCE; rc == XT_OK && k <= KEY_BACKWARD; k++)
        if (k == KEY_SOURCE || k >= KEY_MAP)
            if (!e->value[k]) {
                xt_error_at(err, path, 0, "missing key \"%s\"", keys[k]);
                rc = XT_ERR_INPUT;
            }
    return rc;
}

static int make_temp_dir(external *e, xt_error_t *err)
{
    const char *base = getenv("TMPDIR");
    snprintf(e->tmp, sizeof e->tmp, "%s/xtrain-reduce-XXXXXX",
             base && *base && strlen(base) < 200 ? base : "/tmp");
    if (!mkdtemp(e->tmp)) {
        xt_error_set(err, "cannot create a temporary directory in %s: %s",
                     base ? base : "/tmp", strerror(errno));
        e->tmp[0] = '\0';
        return XT_ERR_IO;
    }
    return XT_OK;
}

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    char *dir = malloc(len + 1);
    if (dir) {
        memcpy(dir, path, len);
        dir[len] = '\0';
    }
    return dir;
}

static int fill_reduction(external *e, const char *path, xt_error_t *err)
{
    xt_reduction *r = &e->red;
    r->source = xt_source_find(e->value[KEY_SOURCE]);
    if (!r->source) {
        xt_error_at(err, path, 0, "unknown source problem \"%s\" (expected "
                    "set-splitting, 3sat or 1in3sat)", e->value[KEY_SOURCE]);
        return XT_ERR_INPUT;
    }
    r->name = e->value[KEY_NAME] ? e->value[KEY_NAME] : path;
    r->summary = "external reduction";
    r->citation = path;
    r->points = e->value[KEY_POINTS];
    r->inputs = e->value[KEY_INPUTS];
    r->hidden = e->value[KEY_HIDDEN];
    r->map = ext_map;
    r->forward = ext_forward;
    r->backward = ext_backward;
    r->solve = e->value[KEY_SOLVE] ? ext_solve : NULL;
    r->data = e;
    e->dir = folder_of(path);
    return e->dir ? XT_OK : XT_ERR_NOMEM;
}

int xt_reduction_external(xt_reduction **out, const char *spec_path,
                          xt_error_t *err)
{
    external *e = calloc(1, sizeof *e);
    *out = NULL;
    if (!e) {
        xt_error_set(err, "out of memory");
        return XT_ERR_NOMEM;
    }
    int rc = read_spec(e, spec_path, err);
    if (rc == XT_OK)
        rc = fill_reduction(e, spec_path, err);
    if (rc == XT_OK)
        rc = make_temp_dir(e, err);
    if (rc != XT_OK) {
        xt_reduction_external_free(&e->red);
        return rc;
    }
    *out = &e->red;
    return XT_OK;
}

void xt_reduction_external_free(xt_reduction *r)
{
    if (!r)
        return;
    external *e = (external *)r;
    if (e->tmp[0]) {
        char path[512];
        for (int f = 0; f < FILE_NAMES; f++) {
            path_of(path, sizeof path, e, file_names[f]);
            remove(path);
        }
        rmdir(e->tmp);
    }
    for (int k = 0; k < KEY_COUNT; k++)
        free(e->value[k]);
    free(e->dir);
    free(e);
}
