package charts

import "image"

// SetTrace has r tell f the text and the ink box of every piece of text
// it draws, for the layout tests. Set it before rendering.
func (r *Renderer) SetTrace(f func(text string, box image.Rectangle)) { r.trace = f }
