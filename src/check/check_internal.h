/* Private helpers of the checker. */
#ifndef XT_CHECK_INTERNAL_H
#define XT_CHECK_INTERNAL_H

#include "xtrain/check.h"
#include "xtrain/json.h"

/* Reads a JSON string holding an exact rational.  Returns 0 on success,
 * else fills err naming the member and returns -1. */
int xt_check_json_rat(mpq_t out, const xt_json *value, const char *what,
                      const char *path, xt_error_t *err);

/* Reads an array of exactly count rationals into out. */
int xt_check_json_rat_array(mpq_t *out, long count, const xt_json *value,
                            const char *what, const char *path,
                            xt_error_t *err);

/* Verifies a certificate of kind "enum". */
int xt_check_enum(xt_check_report_t rep, const xt_instance_t inst,
                  const xt_json *root, const char *path, xt_error_t *err);

/* Verifies a certificate of kind "convex-tree". */
int xt_check_convex(xt_check_report_t rep, const xt_instance_t inst,
                    const xt_json *root, const char *path, xt_error_t *err);

#endif
