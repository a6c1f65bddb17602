/* Certificate files: reading, and dispatch on their kind. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "check_internal.h"
#include "rigidity.h"
#include "xtrain/rat.h"

void xt_check_report_init(xt_check_report_t rep)
{
    memset(rep, 0, sizeof *rep);
    mpq_init(rep->lower);
    mpq_init(rep->upper);
}

void xt_check_report_clear(xt_check_report_t rep)
{
    mpq_clear(rep->lower);
    mpq_clear(rep->upper);
}

int xt_check_json_rat(mpq_t out, const xt_json *value, const char *what,
                      const char *path, xt_error_t *err)
{
    if (!value) {
        xt_error_at(err, path, 0, "missing %s", what);
        return -1;
    }
    if ((value->type != XT_JSON_STRING && value->type != XT_JSON_NUMBER) ||
        xt_rat_parse(out, value->text)) {
        xt_error_at(err, path, value->line, "%s is not an exact rational",
                    what);
        return -1;
    }
    return 0;
}

int xt_check_json_rat_array(mpq_t *out, long count, const xt_json *value,
                            const char *what, const char *path,
                            xt_error_t *err)
{
    if (!value || value->type != XT_JSON_ARRAY) {
        xt_error_at(err, path, value ? value->line : 0,
                    "missing array %s", what);
        return -1;
    }
    if ((long)value->count != count) {
        xt_error_at(err, path, value->line, "%s has %zu entries, expected "
                    "%ld", what, value->count, count);
        return -1;
    }
    for (long i = 0; i < count; i++)
        if (xt_check_json_rat(out[i], value->items[i], what, path, err))
            return -1;
    return 0;
}

/* Reads the whole file into a malloc'd buffer. */
static char *read_all(const char *path, size_t *len, xt_error_t *err)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        xt_error_set(err, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, used = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + used, 1, cap - used, f);
        used += got;
        if (used < cap)
            break;
        char *bigger = realloc(buf, cap * 2);
        if (!bigger) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    int failed = ferror(f);
    fclose(f);
    if (!buf || failed) {
        free(buf);
        xt_error_set(err, "%s: cannot read the file", path);
        return NULL;
    }
    *len = used;
    return buf;
}

int xt_check_certificate_file(xt_check_report_t rep,
                              const xt_instance_t inst, const char *path,
                              xt_error_t *err)
{
    size_t len = 0;
    char *text = read_all(path, &len, err);
    if (!text)
        return XT_ERR_IO;
    xt_json *root = xt_json_parse(text, len, path, err);
    free(text);
    if (!root)
        return XT_ERR_INPUT;

    int rc = XT_ERR_INPUT;
    const xt_json *format = xt_json_get(root, "format");
    const xt_json *kind = xt_json_get(root, "kind");
    if (!format || format->type != XT_JSON_STRING ||
        strcmp(format->text, "xtrain-certificate") != 0) {
        xt_error_at(err, path, 1, "not an xtrain certificate (missing "
                    "\"format\": \"xtrain-certificate\")");
    } else if (!kind || kind->type != XT_JSON_STRING) {
        xt_error_at(err, path, 1, "certificate has no \"kind\"");
    } else if (!strcmp(kind->text, "enum")) {
        snprintf(rep->kind, sizeof rep->kind, "%s", kind->text);
        rc = xt_check_enum(rep, inst, root, path, err);
    } else if (!strcmp(kind->text, "convex-tree")) {
        snprintf(rep->kind, sizeof rep->kind, "%s", kind->text);
        rc = xt_check_convex(rep, inst, root, path, err);
    } else if (!strcmp(kind->text, "planar-rigidity")) {
        snprintf(rep->kind, sizeof rep->kind, "%s", kind->text);
        rc = xt_check_planar(rep, inst, root, path, err);
    } else {
        xt_error_at(err, path, kind->line, "unknown certificate kind "
                    "\"%s\"", kind->text);
    }
    xt_json_free(root);
    return rc;
}
