"""Entry point of the frozen `lienthong.exe` console program."""

import sys

from app.services.render_child import CHILD_FLAG

if sys.argv[1:2] == [CHILD_FLAG]:  # started as the preview's render worker process
    from app.services.render_child import main as render_child_main

    sys.exit(render_child_main())

from app.cli.training_child import CHILD_FLAG as TRAINING_FLAG

if sys.argv[1:2] == [TRAINING_FLAG]:  # started as the GUI's training sandbox process
    from app.cli.training_child import main as training_child_main

    sys.exit(training_child_main())

from app.cli import main

sys.exit(main())
