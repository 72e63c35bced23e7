/* dio.h — what O_DIRECT asks and what to do where it is refused, for the
 * files read and written past the page cache (core/dstream.c,
 * core/dread.c, core/rahead.c, core/dspool.c), and the whole reads and
 * writes at an offset that every file of ours goes through.  Owner:
 * core/dio.c.
 */
#ifndef CX_DIO_H
#define CX_DIO_H

#include <stddef.h>

/* What O_DIRECT asks of a buffer's address, an offset and a length on
 * every file system Linux has (a page covers every logical block size). */
#define DIO_ALIGN 4096

/* PATH opened once more with O_DIRECT (and FLAGS, O_RDONLY or O_WRONLY),
 * when it is still the file FD has open: the same device and inode, for
 * another program may have renamed a new file to that name since FD was
 * opened (a cache or notes file replaced by a run beside this one).  The
 * descriptor, or -1: refused (tmpfs, some network file systems), or
 * another file by now (ESTALE); then the caller goes through FD. */
int dio_reopen(int fd, const char *path, int flags);
/* N bytes aligned to DIO_ALIGN, or NULL; free() them. */
char *dio_alloc(size_t n);
/* N bytes at AT (both multiples of DIO_ALIGN) into BUF (dio_alloc'd)
 * through *DFD, the file opened with O_DIRECT (-1: none); where that
 * refuses the read (EINVAL: it took the flag at the open), *DFD is closed
 * and set to -1, and the bytes are read through FD, as is the rest after
 * a short read that ends inside a block.  The count read (fewer than N
 * only at the end of the file), or -1 with errno. */
long long dio_pread(int *dfd, int fd, char *buf, size_t n, long long at);
/* The same for writing N bytes of BUF at AT: 0, or -1 with errno. */
int dio_pwrite(int *dfd, int fd, const char *buf, size_t n, long long at);

/* N bytes from FD at offset AT into P / from P to FD at AT, through short
 * counts and EINTR (any file, any alignment).  0, or -1 with errno set
 * (EIO at an early end of file). */
int file_pread_all(int fd, void *p, size_t n, long long at);
int file_pwrite_all(int fd, const void *p, size_t n, long long at);

#endif
