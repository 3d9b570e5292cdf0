package generator

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gofrs/flock"
)

// lockFile is locked by every command for its whole run: exclusively by the commands that
// write (init, generate, add, remove), shared by those that only read (check, diff). Two
// kernia-gen runs in one module would otherwise plan against the same files and kernia.yaml
// and overwrite each other's work. The operating system releases the lock when a process
// dies, so a killed run never leaves the module locked.
const lockFile = ".kernia/lock"

// LockTimeout is how long a command waits for another kernia-gen run in the same module.
var LockTimeout = 2 * time.Minute

// Lock takes the module's lock, waiting for other kernia-gen runs to finish. wait is called
// once if the lock is held by another run. The returned function releases the lock.
func (p Project) Lock(ctx context.Context, exclusive bool, wait func()) (unlock func(), err error) {
	if err := os.MkdirAll(p.path(".kernia"), 0o755); err != nil {
		return nil, err
	}
	l := flock.New(p.path(lockFile))
	try := l.TryRLock
	if exclusive {
		try = l.TryLock
	}
	ok, err := try()
	if err == nil && !ok {
		if wait != nil {
			wait()
		}
		ctx, cancel := context.WithTimeout(ctx, LockTimeout)
		defer cancel()
		tryCtx := l.TryRLockContext
		if exclusive {
			tryCtx = l.TryLockContext
		}
		ok, err = tryCtx(ctx, 50*time.Millisecond)
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("another kernia-gen has been running in this module for over %v (it holds %s); wait for it to finish and run the command again", LockTimeout, lockFile)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", lockFile, err)
	}
	if !ok {
		return nil, fmt.Errorf("could not lock %s", lockFile)
	}
	return func() { _ = l.Unlock() }, nil
}
