/* Pieces shared by `xtrain draw` and `xtrain report`. */
#ifndef XT_CMD_DRAW_H
#define XT_CMD_DRAW_H

#include <stdio.h>
#include "cli.h"
#include "xtrain/network.h"

/* Most networks one picture takes. */
#define XT_DRAW_MAX_NETWORKS 16

/* Loads a network file: the exact text or JSON format, or the hex-float
 * format that `xtrain sgd --save` writes (converted without rounding).
 * Prints one line naming the file and returns XT_EXIT_USAGE when neither
 * reader accepts it, else XT_EXIT_OK. */
int xt_cli_load_network(xt_network_t net, const char *command,
                        const char *path);

/* Returns the last component of path (the text after the last '/'). */
const char *xt_cli_base_name(const char *path);

/* Copies the len bytes at data to path ("-" is stdout).  Prints one line
 * and returns XT_EXIT_USAGE when the file cannot be written. */
int xt_cli_write_bytes(const char *command, const char *path,
                       const char *data, size_t len);

#endif
